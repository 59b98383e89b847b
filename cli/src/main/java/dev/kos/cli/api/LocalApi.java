package dev.kos.cli.api;

import dev.kos.analytics.store.SchemaSettings;
import dev.kos.api.auth.TokenFiles;
import dev.kos.api.auth.Tokens;
import dev.kos.api.http.ApiServer;
import dev.kos.bus.ControlBus;
import dev.kos.cli.common.KosHome;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The API that {@code kos up} starts on 127.0.0.1. On the first start there is no token file yet: it makes one with
 * an admin token for the user who ran {@code kos up}, kept in $KOS_HOME/api-token (owner-only) for curl and the CLI.
 */
public final class LocalApi {

  private LocalApi() {
  }

  /**
   * @param cassandra the rollup store's contact points ({@code kos up --analytics}), served under
   *     /api/v1/analytics from the default keyspace
   */
  public static ApiServer start(ControlBus bus, KosHome home, int port, Optional<String> cassandra, PrintWriter out)
      throws InterruptedException {
    Path tokens = home.dir().resolve("api-tokens");
    if (!Files.exists(tokens)) {
      String token = Tokens.newToken();
      TokenFiles.append(tokens, Tokens.line(System.getProperty("user.name").replaceAll("[^A-Za-z0-9._@-]", "_"),
          "@all:admin", token));
      TokenFiles.append(home.dir().resolve("api-token"), token);
      out.println("made the API's token file " + tokens + " with an admin token, kept in "
          + home.dir().resolve("api-token"));
    }
    return ApiServer.start(bus, TokenFiles.read(tokens), "127.0.0.1", port, Duration.ofMinutes(2), Clock.systemUTC(),
        ApiCommand.rollupStore(cassandra.orElse(null), SchemaSettings.DEFAULT_KEYSPACE));
  }

  /** The admin token {@link #start} made, if this home has one. */
  public static String tokenHint(KosHome home) {
    Path file = home.dir().resolve("api-token");
    return Files.exists(file) ? "Authorization: Bearer $(cat " + file + ")" : "a token from `kos api token`";
  }
}
