package dev.kos.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.bus.access.Access;
import dev.kos.bus.access.Permission;
import dev.kos.bus.access.Principal;
import dev.kos.api.analytics.RollupStore;
import dev.kos.api.auth.TokenFile;
import dev.kos.bus.access.Verb;
import dev.kos.bus.access.CommandKind;
import dev.kos.api.metrics.ApiMetrics;
import dev.kos.api.views.KeyTail;
import dev.kos.api.views.LiveViews;
import dev.kos.api.views.StatusFeed;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.client.ClientProblem;
import dev.kos.bus.client.CommandAnswers;
import dev.kos.bus.client.CommandOutcome;
import dev.kos.bus.client.CommandSender;
import dev.kos.bus.client.Commands;
import dev.kos.bus.json.AvroToJson;
import dev.kos.bus.json.JsonAvroException;
import dev.kos.bus.json.JsonToAvro;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.AppState;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.KafkaBrokerState;
import dev.kos.schema.KafkaClusterState;
import dev.kos.schema.LogLine;
import dev.kos.schema.MetricSample;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskStatus;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kos's HTTP API on Javalin (decision 0018): the views as JSON, commands published with the authenticated principal
 * and their answers awaited, status events as Server-Sent Events, the OpenAPI description and Prometheus metrics.
 * Every request carries a bearer token from the token file; each route states the permission it needs, and
 * {@link Access} decides.
 */
public final class ApiServer implements AutoCloseable {

  public static final String OPENAPI_PATH = "/openapi.json";
  public static final String METRICS_PATH = "/metrics";
  public static final String PREFIX = "/api/v1";
  static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
  static final Duration MAX_COMMAND_TIMEOUT = Duration.ofMinutes(2);
  static final long MAX_BODY_BYTES = 1024 * 1024;
  static final int DEFAULT_LOG_TAIL = 100;
  static final int MAX_LOG_TAIL = 1_000;
  /** How many records of a task's kos.logs partition a tail reads: the partition is shared with other tasks. */
  static final long LOG_WINDOW = 20_000;
  /** How many records of a broker's kos.metrics partition are read for its latest sample. */
  static final long SAMPLE_WINDOW = 5_000;
  static final String DASHBOARD_PATH = "/ui/";
  private static final java.util.Map<String, String> DASHBOARD_FILES = java.util.Map.of(
      "index.html", "text/html; charset=utf-8", "app.js", "text/javascript; charset=utf-8",
      "style.css", "text/css; charset=utf-8");

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PRINCIPAL = "kos.principal";
  private static final String STARTED = "kos.started";
  private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,6})(ms|s|m)");

  private final ControlBus bus;
  private final TokenFile tokens;
  private final LiveViews views;
  private final StatusFeed feed;
  private final ApiMetrics metrics;
  private final BusPublisher publisher;
  private final CommandAnswers answers;
  private final Clock clock;
  private final Optional<RollupStore> rollups;
  private final List<Route> routes = new ArrayList<>();
  private Javalin app;

  /** A route as the OpenAPI description lists it. */
  public record Route(String method, String path) {
  }

  private ApiServer(ControlBus bus, TokenFile tokens, LiveViews views, StatusFeed feed, CommandAnswers answers,
      Clock clock, Optional<RollupStore> rollups) {
    this.rollups = rollups;
    this.bus = bus;
    this.tokens = tokens;
    this.views = views;
    this.feed = feed;
    this.answers = answers;
    this.publisher = new BusPublisher(bus, "kos-api");
    this.metrics = new ApiMetrics(views, feed);
    this.clock = clock;
  }

  /**
   * Starts the API: reads the views to their end (at most {@code catchUp}), then listens.
   *
   * @param port 0 picks a free one; {@link #port()} tells which
   */
  public static ApiServer start(ControlBus bus, TokenFile tokens, String host, int port, Duration catchUp, Clock clock)
      throws InterruptedException {
    return start(bus, tokens, host, port, catchUp, clock, Optional.empty());
  }

  /**
   * As {@link #start(ControlBus, TokenFile, String, int, Duration, Clock)}, with the analytics routes served from
   * {@code rollups} (without one they answer 503 with the reason); the server closes it.
   */
  public static ApiServer start(ControlBus bus, TokenFile tokens, String host, int port, Duration catchUp, Clock clock,
      Optional<RollupStore> rollups) throws InterruptedException {
    LiveViews views = LiveViews.start(bus);
    StatusFeed feed = StatusFeed.start(bus);
    CommandAnswers answers = CommandAnswers.start(bus);
    ApiServer server = new ApiServer(bus, tokens, views, feed, answers, clock, rollups);
    if (!views.awaitCaughtUp(catchUp) || !feed.awaitPositioned(catchUp) || !answers.awaitPositioned(catchUp)) {
      server.close();
      throw new ClientProblem("could not read the cluster's state from the bus within "
          + catchUp.toSeconds() + "s: is the Kafka cluster up?");
    }
    Optional<String> failed = views.unavailable();
    if (failed.isPresent()) {
      server.close();
      throw new ClientProblem(failed.get());
    }
    server.app = Javalin.create(server::configure).start(host, port);
    log.info("kos API listening on {}:{} with {} token(s)", host, server.port(), tokens.size());
    return server;
  }

  public int port() {
    return app.port();
  }

  /** Every route, for the check that the OpenAPI description lists them all. */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  private void configure(JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.http.maxRequestSize = MAX_BODY_BYTES;
    var r = config.routes;
    r.before(this::authenticate);
    r.beforeMatched(this::authorize);
    r.before(PREFIX + "/events", ctx -> {
      // Javalin answers an empty 200 to an event-stream request without this header; say what is missing instead.
      String accept = ctx.header("Accept");
      if (accept == null || !accept.contains("text/event-stream")) {
        throw new ApiProblem(406, "the event stream needs the header Accept: text/event-stream");
      }
    });
    r.after(this::measure);
    r.exception(ApiProblem.class, (e, ctx) -> problem(ctx, e.status(), e.getMessage(), e.details()));
    r.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus(), e.getMessage(), null));
    r.exception(ClientProblem.class, (e, ctx) -> problem(ctx, 503, e.getMessage(), null));
    r.exception(Exception.class, (e, ctx) -> {
      log.error("request {} {} failed", ctx.method(), ctx.path(), e);
      problem(ctx, 500, "the API failed on this request: " + e, null);
    });
    r.error(404, ctx -> {
      if (ctx.attribute("kos.problem") == null) {
        problem(ctx, 404, "no route " + ctx.method() + " " + ctx.path() + "; " + OPENAPI_PATH + " lists the routes",
            null);
      }
    });

    Permission view = Permission.anyRole(Verb.VIEW);
    get(r, OPENAPI_PATH, this::openApi, view);
    get(r, METRICS_PATH, ctx -> ctx.contentType(ProcessMetrics.CONTENT_TYPE).result(metrics.scrape()),
        view);
    get(r, PREFIX + "/whoami", this::whoami, view);
    get(r, PREFIX + "/apps", ctx -> json(ctx, appsWhere(app -> true)), view);
    get(r, PREFIX + "/apps/<id>", this::oneApp, view);
    get(r, PREFIX + "/tasks", this::tasks, view);
    get(r, PREFIX + "/logs", this::logs, view);
    get(r, PREFIX + "/kafka-clusters/{name}/traffic", this::kafkaTraffic, view);
    list(r, "/agents", Topics.AGENTS, view);
    list(r, "/frameworks", Topics.FRAMEWORKS, view);
    list(r, "/roles", Topics.ROLES, view);
    list(r, "/jobs", Topics.JOBS, view);
    // Without the brokers' JMX password, which is the kafka framework's alone (as `kos kafka list` leaves it out).
    get(r, PREFIX + "/kafka-clusters", ctx -> json(ctx, array(views.latest(Topics.KAFKA_CLUSTERS).values().stream()
        .map(state -> KafkaClusterState.newBuilder(state).setJmxSecret(null).build()).toList())), view);
    get(r, PREFIX + "/scale-decisions", ctx -> json(ctx, array(filtered(views.recent(Topics.SCALE_DECISIONS),
        ctx.queryParam("target"), d -> d.getTarget()))), view);
    new AnalyticsRoutes(rollups, clock,
        app -> views.unavailable().isEmpty() && views.latest(Topics.APPS).containsKey(app),
        agent -> views.unavailable().isEmpty() && views.latest(Topics.AGENTS).containsKey(agent))
        .handlers().forEach((path, handler) -> get(r, path, handler, view));
    get(r, PREFIX + "/dead-letters", ctx -> json(ctx, array(filtered(views.recent(Topics.DEAD_LETTERS),
        ctx.queryParam("topic"), d -> d.getTopic()))), view);
    // The dashboard's files hold no cluster data and are served without a token; the page asks for one and sends it
    // with every API request it makes.
    r.get("/", ctx -> dashboardFile(ctx, "index.html"));
    r.get(DASHBOARD_PATH + "{file}", ctx -> dashboardFile(ctx, ctx.pathParam("file")));
    r.sse(PREFIX + "/events", this::events, new RequiredPermission(view));
    routes.add(new Route("GET", PREFIX + "/events"));
    r.post(PREFIX + "/commands/{kind}", this::command, new RequiredPermission(Permission.anyRole(Verb.OPERATE)));
    routes.add(new Route("POST", PREFIX + "/commands/{kind}"));
  }

  private void get(io.javalin.config.RoutesConfig r, String path, Handler handler, Permission permission) {
    r.get(path, handler, new RequiredPermission(permission));
    routes.add(new Route("GET", path));
  }

  private void list(io.javalin.config.RoutesConfig r, String path, TopicDef<? extends SpecificRecord> view,
      Permission permission) {
    get(r, PREFIX + path, ctx -> json(ctx, array(views.latest(view).values())), permission);
  }

  // --- authentication and authorization: every request, one place each ---

  private void authenticate(Context ctx) {
    ctx.attribute(STARTED, System.nanoTime());
    if (ctx.path().equals("/") || ctx.path().startsWith(DASHBOARD_PATH)) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"kos\"");
      throw new ApiProblem(401, "no credentials: send the header Authorization: Bearer TOKEN "
          + "(`kos api token` makes a token and its line for the token file)");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"kos\", error=\"invalid_request\"");
      throw new ApiProblem(401, "the Authorization header must be Bearer TOKEN");
    }
    Optional<Principal> principal = tokens.authenticate(header.substring(7).strip());
    if (principal.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"kos\", error=\"invalid_token\"");
      throw new ApiProblem(401, "the token is not in the API's token file (or no longer)");
    }
    ctx.attribute(PRINCIPAL, principal.get());
  }

  private void authorize(Context ctx) {
    if (ctx.attribute(PRINCIPAL) == null) {
      return; // a dashboard file: no route of these needs a permission
    }
    List<Permission> needed = ctx.routeRoles().stream().filter(RequiredPermission.class::isInstance)
        .map(role -> ((RequiredPermission) role).permission()).toList();
    deny(principal(ctx), needed);
  }

  private static void deny(Principal principal, Collection<Permission> needed) {
    Access.denies(principal, needed).ifPresent(reason -> {
      throw new ApiProblem(403, reason);
    });
  }

  private static Principal principal(Context ctx) {
    return Objects.requireNonNull(ctx.attribute(PRINCIPAL), "authenticate runs before every handler");
  }

  private void measure(Context ctx) {
    Long started = ctx.attribute(STARTED);
    String route = "unmatched";
    try {
      io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
      if (matched != null) {
        route = matched.path;
      }
    } catch (RuntimeException e) {
      // No route matched the request (a 404, or a 401 before matching).
    }
    metrics.request(ctx.method().name(), route, ctx.statusCode(),
        Duration.ofNanos(started == null ? 0 : System.nanoTime() - started));
  }

  // --- views ---

  private void whoami(Context ctx) {
    Principal principal = principal(ctx);
    ObjectNode node = JSON.createObjectNode().put("principal", principal.name());
    ArrayNode grants = node.putArray("grants");
    principal.grants().forEach(grant -> grants.add(grant.toString()));
    json(ctx, node);
  }

  private ArrayNode appsWhere(Predicate<AppState> wanted) {
    unavailable();
    ArrayNode apps = JSON.createArrayNode();
    views.latest(Topics.APPS).values().stream().filter(wanted).forEach(app -> apps.add(app(app)));
    return apps;
  }

  /** An app's state with where it is reached (kos.endpoints), null before it has endpoints. */
  private ObjectNode app(AppState app) {
    ObjectNode node = AvroToJson.toJson(app);
    AppEndpoints endpoints = views.latest(Topics.ENDPOINTS).get(app.getAppId());
    node.set("endpoints", endpoints == null ? NullNode.getInstance() : AvroToJson.toJson(endpoints));
    return node;
  }

  private void oneApp(Context ctx) {
    unavailable();
    String id = "/" + ctx.pathParam("id");
    AppState app = views.latest(Topics.APPS).get(id);
    if (app == null) {
      throw notFound("no app " + id + "; GET " + PREFIX + "/apps lists the apps");
    }
    json(ctx, app(app));
  }

  private void tasks(Context ctx) {
    String appId = ctx.queryParam("app");
    String agent = ctx.queryParam("agent");
    String state = ctx.queryParam("state");
    List<TaskStatus> tasks = views.latest(Topics.TASKS).values().stream()
        .filter(t -> appId == null || appId.equals(t.getAppId()))
        .filter(t -> agent == null || agent.equals(t.getAgentId()))
        .filter(t -> state == null || state.equalsIgnoreCase(t.getState().toString()))
        .toList();
    json(ctx, array(tasks));
  }

  /** A task's latest output lines (kos.logs), for a tail that the dashboard polls. */
  private void logs(Context ctx) {
    String task = ctx.queryParam("task");
    if (task == null || task.isBlank()) {
      throw new ApiProblem(400, "name the task: " + PREFIX + "/logs?task=TASK_ID (GET " + PREFIX
          + "/tasks lists them)");
    }
    int tail = boundedInt(ctx.queryParam("tail"), "tail", DEFAULT_LOG_TAIL, MAX_LOG_TAIL);
    List<LogLine> lines = KeyTail.of(bus, Topics.LOGS, task, LOG_WINDOW);
    ObjectNode body = JSON.createObjectNode().put("task", task);
    body.set("lines", array(lines.subList(Math.max(0, lines.size() - tail), lines.size())));
    json(ctx, body);
  }

  /**
   * The latest sample of each broker of a Kafka cluster (kos.metrics, as the kafka framework publishes them: bytes in
   * and out per second, partitions, leaders ...), null for a broker without one.
   */
  private void kafkaTraffic(Context ctx) {
    unavailable();
    String name = ctx.pathParam("name");
    KafkaClusterState cluster = views.latest(Topics.KAFKA_CLUSTERS).get(name);
    if (cluster == null) {
      throw notFound("no Kafka cluster " + name + "; GET " + PREFIX + "/kafka-clusters lists them");
    }
    ArrayNode brokers = JSON.createArrayNode();
    for (KafkaBrokerState broker : cluster.getBrokers()) {
      // The kafka framework's source id of a broker's samples (KafkaAvro.instanceId): CLUSTER/broker-NODE.
      String source = name + "/broker-" + broker.getNodeId();
      List<MetricSample> samples = KeyTail.of(bus, Topics.METRICS, source, SAMPLE_WINDOW);
      ObjectNode node = brokers.addObject().put("nodeId", broker.getNodeId()).put("source", source);
      node.set("sample", samples.isEmpty() ? NullNode.getInstance()
          : AvroToJson.toJson(samples.get(samples.size() - 1)));
    }
    json(ctx, JSON.createObjectNode().put("cluster", name).set("brokers", brokers));
  }

  private static int boundedInt(String text, String name, int fallback, int max) {
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= 0 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new ApiProblem(400, name + " is a number from 0 to " + max + "; was '" + text + "'");
  }

  private static <V> List<V> filtered(List<V> records, String wanted, java.util.function.Function<V, ?> field) {
    return wanted == null ? records : records.stream().filter(v -> wanted.equals(String.valueOf(field.apply(v))))
        .toList();
  }

  private void openApi(Context ctx) {
    try (InputStream in = ApiServer.class.getResourceAsStream("/dev/kos/api/openapi.json")) {
      ctx.contentType("application/json").result(new String(Objects.requireNonNull(in).readAllBytes(),
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void dashboardFile(Context ctx, String file) {
    String type = DASHBOARD_FILES.get(file);
    if (type == null) {
      throw notFound("no dashboard file " + file);
    }
    try (InputStream in = ApiServer.class.getResourceAsStream("/dev/kos/api/dashboard/" + file)) {
      ctx.header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
          .header("X-Content-Type-Options", "nosniff")
          .contentType(type).result(new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- the event stream ---

  private void events(SseClient client) {
    String appId = client.ctx().queryParam("app");
    String kind = client.ctx().queryParam("kind");
    client.keepAlive();
    Consumer<StatusEvent> listener = event -> {
      if ((appId == null || appId.equals(event.getTarget())) && (kind == null || kind.equals(event.getKind()))) {
        if (client.terminated()) {
          throw new IllegalStateException("client gone");
        }
        client.sendEvent("status", write(AvroToJson.toJson(event)));
      }
    };
    client.onClose(() -> feed.unsubscribe(listener));
    feed.subscribe(listener);
    // Tells the client it is subscribed: every status event from here on reaches it.
    client.sendComment("following kos.status" + (appId == null ? "" : " for app " + appId)
        + (kind == null ? "" : " of kind " + kind));
  }

  // --- commands ---

  private void command(Context ctx) {
    unavailable();
    String name = ctx.pathParam("kind");
    CommandKind kind = CommandKind.named(name).orElseThrow(() -> notFound("no command kind " + name
        + "; the kinds are " + String.join(", ", CommandKind.names())));
    String role = Optional.ofNullable(ctx.queryParam("role")).orElse("*");
    Duration timeout = timeout(ctx.queryParam("timeout"));
    boolean await = !"false".equals(ctx.queryParam("wait"));
    SpecificRecord payload;
    try {
      payload = JsonToAvro.toSpecificRecord(ctx.body(), kind.payload());
    } catch (JsonAvroException e) {
      ObjectNode details = JSON.createObjectNode();
      ArrayNode violations = details.putArray("violations");
      e.violations().forEach(v -> violations.addObject().put("path", v.path()).put("expected", v.expected())
          .put("found", v.found()));
      throw new ApiProblem(400, "the body is not a valid " + name + ", nothing was sent: "
          + String.join("; ", e.violations().stream().map(v -> v.message()).toList()), details);
    }
    Principal principal = principal(ctx);
    deny(principal, kind.permissions(payload, role));
    CommandOutcome outcome = CommandSender.send(bus, publisher, answers,
        Commands.of(principal.name(), role, payload, clock), timeout, await, kind.answerer());
    ObjectNode body = JSON.createObjectNode();
    int status;
    if (outcome instanceof CommandOutcome.Answered answered) {
      boolean accepted = answered.result().getStatus() == CommandStatus.ACCEPTED;
      status = accepted ? 200 : 409;
      body.put("outcome", accepted ? "accepted" : "rejected");
      body.setAll(AvroToJson.toJson(answered.result()));
    } else if (outcome instanceof CommandOutcome.Unanswered unanswered) {
      status = 504;
      body.put("outcome", "unanswered").put("commandId", unanswered.commandId());
    } else {
      status = 202;
      body.put("outcome", "sent").put("commandId", ((CommandOutcome.Sent) outcome).commandId());
    }
    body.put("message", outcome.describe());
    ctx.status(status);
    json(ctx, body);
  }

  private static Duration timeout(String text) {
    if (text == null) {
      return DEFAULT_COMMAND_TIMEOUT;
    }
    Matcher m = TIMEOUT.matcher(text);
    if (!m.matches()) {
      throw new ApiProblem(400, "timeout is a duration such as 500ms, 30s or 2m; was '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration timeout = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
    if (timeout.isZero() || timeout.compareTo(MAX_COMMAND_TIMEOUT) > 0) {
      throw new ApiProblem(400, "timeout must be more than 0 and at most 2m; was " + text);
    }
    return timeout;
  }

  // --- JSON out ---

  private void unavailable() {
    views.unavailable().ifPresent(reason -> {
      throw new ApiProblem(503, reason);
    });
  }

  private static ApiProblem notFound(String reason) {
    return new ApiProblem(404, reason);
  }

  private ArrayNode array(Collection<? extends IndexedRecord> records) {
    unavailable();
    ArrayNode array = JSON.createArrayNode();
    records.forEach(record -> array.add(AvroToJson.toJson(record)));
    return array;
  }

  static void json(Context ctx, JsonNode node) {
    ctx.contentType("application/json").result(write(node));
  }

  static void problem(Context ctx, int status, String reason, ObjectNode details) {
    ObjectNode node = JSON.createObjectNode().put("status", status)
        .put("error", HttpStatus.forStatus(status).getMessage()).put("reason", reason);
    if (details != null) {
      node.setAll(details);
    }
    ctx.attribute("kos.problem", true);
    ctx.status(status);
    json(ctx, node);
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (app != null) {
      app.stop();
    }
    rollups.ifPresent(RollupStore::close);
    feed.close();
    answers.close();
    views.close();
    publisher.close();
  }
}
