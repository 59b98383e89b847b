package dev.kos.cli.api;

import dev.kos.api.analytics.RollupStore;
import dev.kos.api.auth.TokenFiles;
import dev.kos.api.http.ApiServer;
import dev.kos.cli.analytics.AnalyticsOptions;
import dev.kos.bus.metrics.MetricsServer;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.MetricsOptions;
import dev.kos.cli.common.FromEnvironment;
import dev.kos.cli.common.KosContext;
import dev.kos.cli.common.UntilStopped;
import dev.kos.cli.common.UsageProblem;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kos api}: the HTTP API server, in the foreground. */
@Command(name = "api", mixinStandardHelpOptions = true, subcommands = ApiTokenCommand.class,
    description = {
        "Run kos's HTTP API against a kos cluster (--bootstrap-server):",
        "- the cluster's state as JSON: apps, tasks, agents, frameworks, roles, jobs,",
        "  Kafka clusters, scale decisions, dead letters;",
        "- commands published as the authenticated principal, with their answers;",
        "- status events as Server-Sent Events (/api/v1/events);",
        "- the analytics rollups in Cassandra (--cassandra) per minute or hour",
        "  (/api/v1/analytics/requests);",
        "- its OpenAPI description at /openapi.json, Prometheus metrics at /metrics.",
        "Every request needs a bearer token from the token file (`kos api token`",
        "makes one). `kos up` starts an API on 127.0.0.1:8484. docs/api.md lists the",
        "routes with curl examples. Runs in the foreground until Ctrl-C."})
public final class ApiCommand implements Callable<Integer> {

  public static final int DEFAULT_PORT = 8484;

  @Spec
  CommandSpec spec;

  @ParentCommand
  KosContext kos;

  @Mixin
  BusOptions bus;

  @Mixin
  AnalyticsOptions analytics;

  @Mixin
  MetricsOptions metrics;

  @FromEnvironment
  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:" + DEFAULT_PORT,
      description = "Where to listen (env KOS_LISTEN; default: ${DEFAULT-VALUE}); 0.0.0.0:PORT for every interface, "
          + "port 0 picks a free one")
  String listen;

  @FromEnvironment
  @Option(names = "--token-file", paramLabel = "FILE",
      description = "The hashed bearer tokens, one `PRINCIPAL ROLE:VERB,... sha256:HASH` line each "
          + "(env KOS_TOKEN_FILE; default: $KOS_HOME/api-tokens)")
  Path tokenFile;

  @Override
  public Integer call() throws Exception {
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      throw new UsageProblem("--listen is HOST:PORT, e.g. 127.0.0.1:8484; was " + listen);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new UsageProblem("--listen is HOST:PORT with a numeric port; was " + listen);
    }
    Path tokens = tokenFile != null ? tokenFile : defaultTokenFile(kos);
    Optional<RollupStore> rollups = rollupStore(analytics.contactPoints(), analytics.keyspace());
    var out = spec.commandLine().getOut();
    // Like every long-running kos process: the Prometheus page without a token, on its own port (decision 0024).
    Optional<MetricsServer> served = metrics.serve(out);
    ApiServer api;
    try {
      api = ApiServer.start(bus.connect(), TokenFiles.read(tokens), listen.substring(0, colon), port,
          Duration.ofMinutes(2), Clock.systemUTC(), rollups);
    } catch (RuntimeException e) {
      MetricsOptions.close(served);
      throw e;
    }
    UntilStopped life = UntilStopped.onStop("api", () -> {
      try {
        api.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        MetricsOptions.close(served);
      }
    });
    out.printf("kos API on http://%s:%d against %s, tokens from %s, %s; Ctrl-C stops it%n", listen.substring(0, colon),
        api.port(), bus.bootstrapServer(), tokens,
        rollups.map(store -> "rollups from " + store.where()).orElse("no analytics rollups (no --cassandra)"));
    out.flush();
    life.await();
    return 0;
  }

  /** The rollup store at {@code contactPoints}, none without them. */
  public static Optional<RollupStore> rollupStore(String contactPoints, String keyspace) {
    if (contactPoints == null || contactPoints.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(RollupStore.of(contactPoints, keyspace));
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
  }

  static Path defaultTokenFile(KosContext kos) {
    return kos.home().dir().resolve("api-tokens");
  }
}
