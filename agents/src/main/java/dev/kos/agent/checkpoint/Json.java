package dev.kos.agent.checkpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * The agent's JSON: ISO-8601 strings for {@link Instant} and {@link Duration} (without pulling in
 * jackson-datatype-jsr310 for two types), {@link java.util.Optional} as its value or null, unknown fields ignored so that older agents read newer
 * files, and atomic writes so that a crash never leaves half a file.
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(isoStrings(Instant.class, Instant::parse))
      .registerModule(isoStrings(Duration.class, Duration::parse))
      .registerModule(new Jdk8Module())
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {
  }

  public static void write(Path file, Object value) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      // Owner-only: a checkpoint says where every task's sandbox and process is.
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      MAPPER.writeValue(tmp.toFile(), value);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // A half-written temporary file would only take more of a disk that is probably full.
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  public static <T> T read(Path file, Class<T> type) throws IOException {
    return MAPPER.readValue(file.toFile(), type);
  }

  private static <T> SimpleModule isoStrings(Class<T> type, Function<String, T> parse) {
    return new SimpleModule(type.getSimpleName() + "AsIsoString")
        .addSerializer(type, new JsonSerializer<>() {
          @Override
          public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
          }
        })
        .addDeserializer(type, new JsonDeserializer<>() {
          @Override
          public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return parse.apply(parser.getValueAsString());
          }
        });
  }
}
