package dev.kos.cli.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.client.ClientProblem;
import dev.kos.bus.client.CompactedTopic;
import dev.kos.bus.json.AvroToJson;
import dev.kos.bus.json.JsonAvroException;
import dev.kos.bus.json.JsonToAvro;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * The {@code kos} command's client of the HTTP API: the same views and commands as on the bus, through the API's
 * routes, with the token of {@code --token}. A refusal (401, 403, 400 ...) ends the command with the API's reason.
 */
public final class ApiClient {

  /** What became of a command sent through the API. */
  public record Sent(int exitCode, String message) {
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT = Duration.ofSeconds(10);

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT).build();

  ApiClient(String base, String token) {
    try {
      this.base = URI.create(base.endsWith("/") ? base : base + "/");
    } catch (IllegalArgumentException e) {
      throw new UsageProblem("--api must be a URL such as http://127.0.0.1:8484; was '" + base + "'");
    }
    this.token = token;
  }

  /** A view's latest values by key, as the API's list route for {@code topic} returns them. */
  public <V extends SpecificRecord> CompactedTopic.Latest<V> view(TopicDef<V> topic) {
    JsonNode array = get("api/v1/" + topic.suffix());
    SortedMap<String, V> byKey = new TreeMap<>();
    for (JsonNode element : array) {
      if (topic == Topics.APPS && element instanceof ObjectNode app) {
        app.remove("endpoints"); // the API adds where the app is reached; AppState does not hold it
      }
      try {
        V value = JsonToAvro.toSpecificRecord(element.toString(), topic.valueType());
        byKey.put(topic.keyFor(value), value);
      } catch (JsonAvroException e) {
        throw new ClientProblem("the API at " + base + " sent a " + topic.valueType().getSimpleName()
            + " this kos cannot read (another release?): " + e.getMessage());
      }
    }
    return new CompactedTopic.Latest<>(Collections.unmodifiableSortedMap(byKey), base + "api/v1/" + topic.suffix(),
        0);
  }

  /**
   * Sends a command through {@code POST /api/v1/commands/{kind}} and waits for its answer as the API does.
   *
   * @return exit code 0 accepted (or sent), 1 rejected, 3 unanswered, and the API's message
   */
  public Sent command(SpecificRecord payload, String role, Duration timeout, boolean await) {
    String path = "api/v1/commands/" + payload.getSchema().getName() + "?role=" + URLEncoder.encode(role,
        StandardCharsets.UTF_8) + "&timeout=" + Math.max(1, timeout.toSeconds()) + "s&wait=" + await;
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve(path))
        .timeout(timeout.plus(CONNECT)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(AvroToJson.toJson(payload).toString())));
    JsonNode body = body(response);
    String message = body.path("message").asText(body.path("reason").asText(""));
    return switch (response.statusCode()) {
      case 200, 202 -> new Sent(0, message);
      case 409 -> new Sent(1, message);
      case 504 -> new Sent(3, message);
      default -> throw refused(response, body);
    };
  }

  private JsonNode get(String path) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .GET());
    JsonNode body = body(response);
    if (response.statusCode() != 200) {
      throw refused(response, body);
    }
    return body;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.header("Authorization", "Bearer " + token).header("Accept", "application/json")
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ClientProblem("cannot reach the API at " + base + ": " + e + " (is `kos api` or `kos up` running?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientProblem("interrupted while waiting for the API at " + base);
    }
  }

  private JsonNode body(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new ClientProblem("the API at " + base + " answered " + response.statusCode() + " with a body that is "
          + "not JSON: " + abbreviated(response.body()));
    }
  }

  /** The API's refusal, as it words it: {@code the API refused the request (403 Forbidden): principal ...}. */
  private ClientProblem refused(HttpResponse<String> response, JsonNode body) {
    String reason = body.path("reason").asText(abbreviated(response.body()));
    String error = body.path("error").asText("");
    return new ClientProblem("the API refused the request (" + response.statusCode()
        + (error.isEmpty() ? "" : " " + error) + "): " + reason);
  }

  private static String abbreviated(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
