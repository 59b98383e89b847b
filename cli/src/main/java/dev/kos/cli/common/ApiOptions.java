package dev.kos.cli.common;

import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.client.CompactedTopic;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Option;

/**
 * {@code --api URL --token TOKEN}: talk to kos through its HTTP API (docs/api.md) instead of straight to Kafka. The
 * views come from the API's read endpoints, commands go through its command endpoint and carry the token's
 * principal; the API's refusals (401, 403, 400) are shown as it words them.
 */
public final class ApiOptions {

  @FromEnvironment
  @Option(names = "--api", paramLabel = "URL",
      description = "Talk to kos through its HTTP API at URL (e.g. http://127.0.0.1:8484) instead of straight to "
          + "Kafka; commands then carry the token's principal, not --principal (env KOS_API; config key api)")
  String api;

  @FromEnvironment
  @Option(names = "--token", paramLabel = "TOKEN",
      description = "The API's bearer token, with --api (env KOS_TOKEN; config key token; `kos up` keeps one in "
          + "$KOS_HOME/api-token)")
  String token;

  /** The API client, when --api is given. */
  public Optional<ApiClient> client() {
    if (api == null || api.isBlank()) {
      if (token != null && !token.isBlank()) {
        throw new UsageProblem("--token goes with --api URL (or KOS_API): without it kos talks straight to Kafka");
      }
      return Optional.empty();
    }
    if (token == null || token.isBlank()) {
      throw new UsageProblem("--api needs --token TOKEN (or KOS_TOKEN): the API authenticates every request");
    }
    return Optional.of(new ApiClient(api, token));
  }

  /** A compacted view: from the API with --api, else read from its topic on the bus. */
  public <V extends SpecificRecord> CompactedTopic.Latest<V> read(BusOptions bus, TopicDef<V> topic) {
    Optional<ApiClient> client = client();
    return client.isPresent() ? client.get().view(topic) : CompactedTopic.read(bus.connect(), topic);
  }
}
