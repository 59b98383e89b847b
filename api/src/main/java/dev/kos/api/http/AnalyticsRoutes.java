package dev.kos.api.http;

import com.datastax.oss.driver.api.core.DriverException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.analytics.query.AgentUsageBucket;
import dev.kos.analytics.query.AgentUsageRequest;
import dev.kos.analytics.query.AppRollup;
import dev.kos.analytics.query.AppTotal;
import dev.kos.analytics.query.Granularity;
import dev.kos.analytics.query.RollupDocuments;
import dev.kos.analytics.query.RollupQueries;
import dev.kos.analytics.query.RollupRequest;
import dev.kos.analytics.query.TopAppsRequest;
import dev.kos.api.analytics.RollupStore;
import dev.kos.bus.client.ClientProblem;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The analytics routes: the Cassandra rollups through the queries {@code kos analytics} runs ({@link RollupQueries}).
 * Each handler checks its parameters before anything is read (400 with the reason), answers 404 for an app or agent
 * neither in the cluster nor in the rollups of the window's days, 503 without a rollup store or when Cassandra does
 * not answer, and writes its answer or its refusal itself (the JSON problem of {@link ApiServer}), so the routes
 * answer the same inside the API and on a server of their own (the CLI's {@code AnalyticsCommandIT}).
 */
public final class AnalyticsRoutes {

  public static final String REQUESTS = ApiServer.PREFIX + "/analytics/requests";
  public static final String TOP_APPS = ApiServer.PREFIX + "/analytics/top-apps";
  public static final String AGENT_USAGE = ApiServer.PREFIX + "/analytics/agent-usage";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<RollupStore> rollups;
  private final Clock clock;
  private final Predicate<String> appInCluster;
  private final Predicate<String> agentInCluster;

  /**
   * @param appInCluster whether the cluster knows the app now ({@code /api/v1/apps})
   * @param agentInCluster whether the cluster knows the agent now ({@code /api/v1/agents})
   */
  public AnalyticsRoutes(Optional<RollupStore> rollups, Clock clock, Predicate<String> appInCluster,
      Predicate<String> agentInCluster) {
    this.rollups = rollups;
    this.clock = clock;
    this.appInCluster = appInCluster;
    this.agentInCluster = agentInCluster;
  }

  /** Path to handler, in the order the OpenAPI description lists them. */
  public Map<String, Handler> handlers() {
    Map<String, Handler> handlers = new LinkedHashMap<>();
    handlers.put(REQUESTS, ctx -> answer(ctx, this::requests));
    handlers.put(TOP_APPS, ctx -> answer(ctx, this::topApps));
    handlers.put(AGENT_USAGE, ctx -> answer(ctx, this::agentUsage));
    return handlers;
  }

  private void answer(Context ctx, Function<Context, JsonNode> route) {
    try {
      ApiServer.json(ctx, route.apply(ctx));
    } catch (ApiProblem e) {
      ApiServer.problem(ctx, e.status(), e.getMessage(), e.details());
    } catch (ClientProblem e) {
      ApiServer.problem(ctx, 503, e.getMessage(), null);
    }
  }

  /**
   * An app's requests, status classes, latency percentiles and log figures per minute or hour over [from, to): the
   * rows {@code kos analytics rollup --json} prints.
   */
  private JsonNode requests(Context ctx) {
    RollupRequest request = parsed(() -> RollupRequest.parse(ctx.queryParam("app"), ctx.queryParam("from"),
        ctx.queryParam("to"), ctx.queryParam("granularity"), clock.instant()));
    return read(queries -> {
      if (!appInCluster.test(request.app()) && !queries.hasRollups(request.app(), request.from(), request.to())) {
        throw new ApiProblem(404, "no app " + request.app() + ": not in the cluster (GET " + ApiServer.PREFIX
            + "/apps) and no rollups of it on the days of [" + request.from() + ", " + request.to() + ")");
      }
      List<AppRollup> rows = queries.rollup(request.app(), request.from(), request.to(), request.granularity());
      ObjectNode body = window(JSON.createObjectNode().put("app", request.app()), request.from().toString(),
          request.to().toString()).put("granularity", name(request.granularity()));
      body.set("buckets", JSON.valueToTree(rows.stream().map(RollupDocuments::row).toList()));
      return body;
    });
  }

  /** The apps with the highest total of a metric (requests unless {@code metric} says) over [from, to). */
  private JsonNode topApps(Context ctx) {
    TopAppsRequest request = parsed(() -> TopAppsRequest.parse(ctx.queryParam("metric"), ctx.queryParam("from"),
        ctx.queryParam("to"), ctx.queryParam("limit"), clock.instant()));
    return read(queries -> {
      List<AppTotal> top = queries.top(request.metric(), request.from(), request.to(), request.limit());
      ObjectNode body = window(JSON.createObjectNode().put("metric", request.metric().cliName()),
          request.from().toString(), request.to().toString()).put("limit", request.limit());
      ArrayNode apps = body.putArray("apps");
      top.forEach(total -> apps.addObject().put("app", total.app()).put("value", total.value()));
      return body;
    });
  }

  /** One agent's task CPU and memory per minute or hour over [from, to), per role. */
  private JsonNode agentUsage(Context ctx) {
    AgentUsageRequest request = parsed(() -> AgentUsageRequest.parse(ctx.queryParam("agent"), ctx.queryParam("from"),
        ctx.queryParam("to"), ctx.queryParam("granularity"), clock.instant()));
    return read(queries -> {
      if (!agentInCluster.test(request.agent())
          && !queries.hasAgentUsage(request.agent(), request.from(), request.to())) {
        throw new ApiProblem(404, "no agent " + request.agent() + ": not in the cluster (GET " + ApiServer.PREFIX
            + "/agents) and no usage of it on the days of [" + request.from() + ", " + request.to() + ")");
      }
      List<AgentUsageBucket> buckets = queries.agentUsage(request.agent(), request.from(), request.to(),
          request.granularity());
      ObjectNode body = window(JSON.createObjectNode().put("agent", request.agent()), request.from().toString(),
          request.to().toString()).put("granularity", name(request.granularity()));
      body.set("buckets", JSON.valueToTree(buckets.stream().map(RollupDocuments::usage).toList()));
      return body;
    });
  }

  private static ObjectNode window(ObjectNode body, String from, String to) {
    return body.put("from", from).put("to", to);
  }

  private static String name(Granularity granularity) {
    return granularity.name().toLowerCase(Locale.ROOT);
  }

  private static <T> T parsed(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new ApiProblem(400, e.getMessage());
    }
  }

  private JsonNode read(Function<RollupQueries, JsonNode> query) {
    RollupStore store = rollups.orElseThrow(() -> new ApiProblem(503, "this API reads no analytics rollups: start it "
        + "with --cassandra HOST:PORT (`kos up --analytics` starts Cassandra and gives its API the address)"));
    RollupQueries queries = store.queries();
    try {
      return query.apply(queries);
    } catch (DriverException e) {
      throw new ApiProblem(503, "the rollup store (" + store.where() + ") did not answer: " + e.getMessage());
    }
  }
}
