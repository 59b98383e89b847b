package dev.kos.analytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfluentAvroReaderTest {

  private static final LogLine LINE = LogLine.newBuilder().setTaskId("t1").setFrameworkId("apps").setAppId("web")
      .setAgentId("a1").setStream(LogStream.STDERR).setTimestamp(Instant.parse("2026-03-01T10:00:00Z")).setSeq(7)
      .setLine("ERROR boom").build();

  @Test
  void shouldDecodeAValueInTheConfluentWireFormat() {
    assertThat(new ConfluentAvroReader<>(LogLine.class).read(wire(LINE))).contains(LINE);
  }

  static Stream<Arguments> spoiled() {
    return Stream.of(
        Arguments.of("null", (UnaryOperator<byte[]>) bytes -> null),
        Arguments.of("empty", (UnaryOperator<byte[]>) bytes -> new byte[0]),
        Arguments.of("header only", (UnaryOperator<byte[]>) bytes -> Arrays.copyOf(bytes, 5)),
        Arguments.of("magic byte 1", (UnaryOperator<byte[]>) bytes -> {
          byte[] copy = bytes.clone();
          copy[0] = 1;
          return copy;
        }),
        Arguments.of("truncated", (UnaryOperator<byte[]>) bytes -> Arrays.copyOf(bytes, bytes.length - 3)),
        Arguments.of("a byte too many", (UnaryOperator<byte[]>) bytes -> Arrays.copyOf(bytes, bytes.length + 1)),
        Arguments.of("string longer than the record", (UnaryOperator<byte[]>) bytes ->
            new byte[] {0, 0, 0, 0, 1, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spoiled")
  void shouldReturnNothingForBytesThatAreNoWholeValue(String name, UnaryOperator<byte[]> spoil) {
    ConfluentAvroReader<LogLine> reader = new ConfluentAvroReader<>(LogLine.class);
    assertThat(reader.read(spoil.apply(wire(LINE)))).isEmpty();
    assertThat(reader.read(wire(LINE))).as("the reader still works afterwards").contains(LINE);
  }

  /** A value as kos's serde writes it: magic byte 0, a schema id, Avro binary. */
  static <T extends SpecificRecord> byte[] wire(T record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(new byte[] {0, 0, 0, 0, 42});
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
