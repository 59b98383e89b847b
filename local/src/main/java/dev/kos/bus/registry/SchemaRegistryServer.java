package dev.kos.bus.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kos's embedded schema registry: the subset of the Confluent Schema Registry REST API that
 * serializers and people use, over {@link RegistryState} persisted in a {@link KafkaSchemaLog}.
 * It is meant to be the only registry writing to its topic (one per cluster, as `kos up`
 * runs it); for several writers, run a real registry and pass its URL instead.
 */
public final class SchemaRegistryServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final Pattern SUBJECT_VERSIONS = Pattern.compile("/subjects/([^/]+)/versions/?");
  private static final Pattern SUBJECT_VERSION = Pattern.compile("/subjects/([^/]+)/versions/([^/]+)/?");
  private static final Pattern SUBJECT_LOOKUP = Pattern.compile("/subjects/([^/]+)/?");
  private static final Pattern SCHEMA_BY_ID = Pattern.compile("/schemas/ids/(\\d+)/?");
  private static final Pattern COMPATIBILITY = Pattern.compile("/compatibility/subjects/([^/]+)/versions/([^/]+)/?");

  private final RegistryState state = new RegistryState();
  private final KafkaSchemaLog schemaLog;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "schema-registry-http");
    t.setDaemon(true);
    return t;
  });

  private SchemaRegistryServer(KafkaSchemaLog schemaLog, HttpServer server) {
    this.schemaLog = schemaLog;
    this.server = server;
  }

  /**
   * Replays the schema topic, then serves HTTP on the given host and port (0 picks a free one).
   */
  public static SchemaRegistryServer start(String bootstrapServers, String topic, String host, int port)
      throws IOException {
    return start(bootstrapServers, Map.of(), topic, host, port);
  }

  /** The same on a secured bus, whose security settings {@code clientConfig} carries (as a bus's client config). */
  public static SchemaRegistryServer start(String bootstrapServers, Map<String, String> clientConfig, String topic,
      String host, int port) throws IOException {
    KafkaSchemaLog schemaLog = new KafkaSchemaLog(bootstrapServers, clientConfig, topic);
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
    SchemaRegistryServer registry = new SchemaRegistryServer(schemaLog, http);
    schemaLog.catchUp(registry.state);
    http.createContext("/", registry::handle);
    http.setExecutor(registry.executor);
    http.start();
    log.info("schema registry serving {} from topic {}", registry.url(), topic);
    return registry;
  }

  public String url() {
    InetSocketAddress address = server.getAddress();
    return "http://" + address.getHostString() + ":" + address.getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    schemaLog.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response response;
      try {
        response = route(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestBody());
      } catch (RegistryException e) {
        response = Response.error(e.httpStatus, e.errorCode, e.getMessage());
      } catch (RuntimeException e) {
        log.warn("schema registry request failed", e);
        response = Response.error(500, 50001, "internal error: " + e.getMessage());
      }
      byte[] body = response.body().toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(response.status(), body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private Response route(String method, String path, InputStream body) throws IOException {
    Matcher m;
    if (method.equals("GET") && path.matches("/subjects/?")) {
      schemaLog.catchUp(state);
      return Response.ok(JSON.valueToTree(state.subjects()));
    }
    if (method.equals("GET") && path.matches("/config/?")) {
      return Response.ok(JSON.createObjectNode().put("compatibilityLevel", "BACKWARD"));
    }
    if (method.equals("GET") && (m = SCHEMA_BY_ID.matcher(path)).matches()) {
      int id = Integer.parseInt(m.group(1));
      Schema schema = schemaById(id);
      return Response.ok(JSON.createObjectNode().put("schema", schema.toString()));
    }
    if (method.equals("POST") && (m = SUBJECT_VERSIONS.matcher(path)).matches()) {
      return Response.ok(JSON.createObjectNode().put("id", register(m.group(1), parse(body)).id()));
    }
    if (method.equals("GET") && (m = SUBJECT_VERSIONS.matcher(path)).matches()) {
      return Response.ok(JSON.valueToTree(versionsOf(m.group(1)).stream().map(RegistryState.Version::version).toList()));
    }
    if (method.equals("GET") && (m = SUBJECT_VERSION.matcher(path)).matches()) {
      return Response.ok(describe(version(m.group(1), m.group(2))));
    }
    if (method.equals("POST") && (m = COMPATIBILITY.matcher(path)).matches()) {
      RegistryState.Version against = version(m.group(1), m.group(2));
      boolean compatible = SchemaCompatibility
          .checkReaderWriterCompatibility(parse(body), against.schema()).getType()
          == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
      return Response.ok(JSON.createObjectNode().put("is_compatible", compatible));
    }
    if (method.equals("POST") && (m = SUBJECT_LOOKUP.matcher(path)).matches()) {
      Schema schema = parse(body);
      String subject = m.group(1);
      return versionsOf(subject).stream()
          .filter(v -> v.schema().toString().equals(schema.toString()))
          .findFirst()
          .map(v -> Response.ok(describe(v)))
          .orElseThrow(() -> new RegistryException(404, 40403, "schema not found under subject " + subject));
    }
    throw new RegistryException(404, 404, "no such endpoint: " + method + " " + path);
  }

  private RegistryState.Version register(String subject, Schema schema) {
    synchronized (state) {
      schemaLog.catchUp(state);
      RegistryState.Registration decision = state.decide(subject, schema);
      if (decision instanceof RegistryState.Registration.Existing existing) {
        return existing.version();
      }
      if (decision instanceof RegistryState.Registration.Incompatible incompatible) {
        throw new RegistryException(409, 409, incompatible.reason());
      }
      RegistryState.Version version = ((RegistryState.Registration.NewVersion) decision).version();
      schemaLog.append(version);
      state.apply(version);
      log.info("registered {} version {} as schema id {}", subject, version.version(), version.id());
      return version;
    }
  }

  private Schema schemaById(int id) {
    Optional<Schema> schema = state.schemaById(id);
    if (schema.isEmpty()) {
      schemaLog.catchUp(state);
      schema = state.schemaById(id);
    }
    return schema.orElseThrow(() -> new RegistryException(404, 40403, "schema " + id + " not found"));
  }

  private List<RegistryState.Version> versionsOf(String subject) {
    schemaLog.catchUp(state);
    List<RegistryState.Version> versions = state.versions(subject);
    if (versions.isEmpty()) {
      throw new RegistryException(404, 40401, "subject '" + subject + "' not found");
    }
    return versions;
  }

  private RegistryState.Version version(String subject, String version) {
    List<RegistryState.Version> versions = versionsOf(subject);
    if (version.equals("latest") || version.equals("-1")) {
      return versions.get(versions.size() - 1);
    }
    try {
      int wanted = Integer.parseInt(version);
      return versions.stream().filter(v -> v.version() == wanted).findFirst()
          .orElseThrow(() -> new RegistryException(404, 40402, "version " + version + " of '" + subject + "' not found"));
    } catch (NumberFormatException e) {
      throw new RegistryException(422, 42202, "version must be a positive number or 'latest', was '" + version + "'");
    }
  }

  private static ObjectNode describe(RegistryState.Version v) {
    return JSON.createObjectNode()
        .put("subject", v.subject())
        .put("version", v.version())
        .put("id", v.id())
        .put("schema", v.schema().toString());
  }

  private static Schema parse(InputStream body) throws IOException {
    JsonNode request = JSON.readTree(body);
    if (request == null || !request.hasNonNull("schema")) {
      throw new RegistryException(422, 42201, "request body must be a JSON object with a 'schema' string");
    }
    if (request.hasNonNull("schemaType") && !request.get("schemaType").asText().equals("AVRO")) {
      throw new RegistryException(422, 42201, "only AVRO schemas are supported, got " + request.get("schemaType").asText());
    }
    try {
      return new Schema.Parser().parse(request.get("schema").asText());
    } catch (SchemaParseException e) {
      throw new RegistryException(422, 42201, "invalid Avro schema: " + e.getMessage());
    }
  }

  private record Response(int status, JsonNode body) {
    static Response ok(JsonNode body) {
      return new Response(200, body);
    }

    static Response error(int status, int errorCode, String message) {
      return new Response(status, JSON.createObjectNode().put("error_code", errorCode).put("message", message));
    }
  }

  private static final class RegistryException extends RuntimeException {
    private final int httpStatus;
    private final int errorCode;

    RegistryException(int httpStatus, int errorCode, String message) {
      super(message);
      this.httpStatus = httpStatus;
      this.errorCode = errorCode;
    }
  }
}
