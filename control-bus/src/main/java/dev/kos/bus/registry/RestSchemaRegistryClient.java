package dev.kos.bus.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API (the subset serdes need), usable
 * against Confluent's registry, Apicurio's ccompat API, Karapace, Redpanda or kos's own.
 * Schemas are immutable once registered, so both directions are cached for the life of
 * the client: the registry is asked once per schema, not once per record.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final String baseUrl;
  private final HttpClient http;
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  public RestSchemaRegistryClient(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public int register(String subject, Schema schema) {
    String cacheKey = subject + "\u0000" + schema;
    return idsBySubjectAndSchema.computeIfAbsent(cacheKey, k -> {
      String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
      JsonNode answer = call(HttpRequest.newBuilder(uri("/subjects/" + encode(subject) + "/versions"))
          .POST(HttpRequest.BodyPublishers.ofString(body)));
      int id = answer.get("id").asInt();
      schemasById.putIfAbsent(id, schema);
      return id;
    });
  }

  @Override
  public Schema schemaById(int id) {
    return schemasById.computeIfAbsent(id, k -> {
      JsonNode answer = call(HttpRequest.newBuilder(uri("/schemas/ids/" + id)).GET());
      return new Schema.Parser().parse(answer.get("schema").asText());
    });
  }

  private JsonNode call(HttpRequest.Builder request) {
    HttpRequest built = request.header("Content-Type", CONTENT_TYPE).header("Accept", CONTENT_TYPE)
        .timeout(Duration.ofSeconds(30)).build();
    try {
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() / 100 != 2) {
        String message = body != null && body.has("message") ? body.get("message").asText() : response.body();
        String problem = built.method() + " " + built.uri() + " answered " + response.statusCode() + ": " + message;
        throw response.statusCode() == 404
            ? new SchemaRegistryException.NotFound(problem)
            : new SchemaRegistryException(problem);
      }
      return body;
    } catch (IOException e) {
      throw new SchemaRegistryException("schema registry at " + baseUrl + " is unreachable (" + e
          + "); is it running? `kos up` starts one, or pass --schema-registry URL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while calling the schema registry", e);
    }
  }

  private URI uri(String path) {
    return URI.create(baseUrl + path);
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8);
  }
}
