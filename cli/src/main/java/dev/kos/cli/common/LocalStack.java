package dev.kos.cli.common;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.exec.TaskUsers;
import dev.kos.agent.exec.WorkDirModes;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.HostResources;
import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.kos.analytics.cassandra.EmbeddedCassandra;
import dev.kos.analytics.cassandra.EmbeddedCassandraSettings;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.analytics.store.SchemaInstaller;
import dev.kos.analytics.store.SchemaSettings;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.lb.KosLb;
import dev.kos.lb.LbSettings;
import dev.kos.frameworks.jobs.JobsFramework;
import dev.kos.frameworks.kafka.KafkaFramework;
import dev.kos.frameworks.kafka.KafkaFrameworkSettings;
import dev.kos.frameworks.jobs.core.JobsConfig;
import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicBootstrap;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.files.Directories;
import dev.kos.bus.embedded.BrokerPorts;
import dev.kos.bus.embedded.EmbeddedKafka;
import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import dev.kos.bus.registry.KafkaSchemaLog;
import dev.kos.bus.registry.SchemaRegistryServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * What `kos up` runs: a broker (unless an existing cluster is given), the catalogue's topics,
 * a schema registry (unless an existing one is given), the allocator and local agents. Closing
 * stops what it started, in reverse order; agents leave their tasks running, as a restarted
 * agent expects.
 */
public final class LocalStack implements AutoCloseable {

  /**
   * What to start; empty optionals mean "start our own".
   *
   * @param agentSize what each local agent offers; empty: an equal share of this machine
   */
  public record Plan(Optional<String> bootstrapServers, Optional<String> schemaRegistry,
      Optional<Path> dataDir, int brokerPort, String registryHost, int registryPort, TopicCatalog catalog,
      int agents, Optional<ResourceSet> agentSize) {
  }

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  /**
   * Closes the stack, in order, if the JVM exits first: one hook for the whole stack, because the JVM runs
   * hooks all at once, and a broker stopped by a hook of its own would go before the components that use it.
   */
  private final Thread shutdownHook = new Thread(this::close, "kos-local-stack-shutdown");
  private String bootstrapServers;
  private String schemaRegistryUrl;
  private AppsFramework apps;
  private JobsFramework jobs;
  private KosLb lb;

  private LocalStack() {
  }

  public static LocalStack start(Plan plan, PrintWriter progress) throws IOException {
    LocalStack stack = new LocalStack();
    Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
    try {
      stack.startBroker(plan, progress);
      stack.bootstrapTopics(plan.catalog(), progress);
      stack.startRegistry(plan, progress);
      stack.startAllocator(plan, progress);
      stack.startAgents(plan, progress);
      stack.startFrameworks(plan, progress);
      return stack;
    } catch (RuntimeException | IOException e) {
      stack.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  /** The apps framework this stack runs. */
  public AppsFramework apps() {
    return apps;
  }

  /** The jobs framework this stack runs. */
  public JobsFramework jobs() {
    return jobs;
  }

  /** The load balancer this stack runs ({@code kos lb}, named local, on 127.0.0.1). */
  public KosLb lb() {
    return lb;
  }

  /** A bus client for this stack's cluster. */
  public ControlBus bus(TopicCatalog catalog) {
    return new ControlBus(new BusSettings(bootstrapServers, schemaRegistryUrl, catalog));
  }

  private void startBroker(Plan plan, PrintWriter progress) {
    if (plan.bootstrapServers().isPresent()) {
      bootstrapServers = plan.bootstrapServers().get();
      progress.println("using the Kafka cluster at " + bootstrapServers);
      return;
    }
    EmbeddedKafkaSettings settings = EmbeddedKafkaSettings.defaults()
        .withPorts(new BrokerPorts(plan.brokerPort(), 0));
    if (plan.dataDir().isPresent()) {
      settings = settings.withDataDir(plan.dataDir().get().resolve("kafka"));
    }
    progress.println("starting a Kafka broker (KRaft) in "
        + plan.dataDir().map(d -> d.resolve("kafka").toString()).orElse("a temporary directory") + " ...");
    long startedAt = System.nanoTime();
    EmbeddedKafka broker = EmbeddedKafka.start(settings);
    broker.stopOnlyWhenClosed();
    started.push(broker);
    bootstrapServers = broker.bootstrapServers();
    progress.printf("broker ready at %s in %.1f s (log: %s)%n", bootstrapServers,
        (System.nanoTime() - startedAt) / 1e9, broker.brokerLog());
  }

  private void bootstrapTopics(TopicCatalog catalog, PrintWriter progress) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      TopicBootstrap.Outcome outcome = new TopicBootstrap(admin, catalog).ensureTopics();
      progress.printf("topics: %d created, %d already there; new topics get %s%n", outcome.created().size(),
          outcome.existing().size(), outcome.durability().describe());
    }
  }

  private void startRegistry(Plan plan, PrintWriter progress) throws IOException {
    if (plan.schemaRegistry().isPresent()) {
      schemaRegistryUrl = plan.schemaRegistry().get();
      progress.println("using the schema registry at " + schemaRegistryUrl);
      return;
    }
    SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrapServers, KafkaSchemaLog.DEFAULT_TOPIC,
        plan.registryHost(), plan.registryPort());
    started.push(registry);
    schemaRegistryUrl = registry.url();
    progress.println("schema registry at " + schemaRegistryUrl + " (schemas kept in topic "
        + KafkaSchemaLog.DEFAULT_TOPIC + ")");
  }

  private void startAllocator(Plan plan, PrintWriter progress) throws IOException {
    Path stateDir = workDirectory(plan, "allocator");
    ControlBus bus = new ControlBus(busSettings(plan));
    progress.println("starting the allocator (Kafka Streams, exactly-once) ...");
    try {
      started.push(AllocatorService.start(bus, AllocatorSettings.defaults(), "kos-allocator", stateDir, Map.of(),
          Duration.ofSeconds(120)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the allocator", e);
    }
    progress.println("allocator running");
  }

  /**
   * A component's directory under the data directory, or a temporary one that is deleted when the stack
   * stops, after the component (pushed after it, so closed before it) is done with it.
   */
  private Path workDirectory(Plan plan, String component) throws IOException {
    if (plan.dataDir().isPresent()) {
      return Files.createDirectories(plan.dataDir().get().resolve(component));
    }
    Path temporary = Files.createTempDirectory("kos-" + component);
    started.push(() -> Directories.deleteTreeQuietly(temporary)
        .ifPresent(e -> System.err.println("kos: could not remove " + temporary + ": " + e.getMessage())));
    return temporary;
  }

  /**
   * Local agents share this machine: each reports an equal slice of its cores and memory and
   * its own range of ports, so together they never offer more than the host has.
   */
  private void startAgents(Plan plan, PrintWriter progress) throws IOException {
    if (plan.agents() == 0) {
      return;
    }
    Path root = workDirectory(plan, "agents");
    // Tasks run as another user than kos's (KOS_AGENT_TASK_USER) pass through to their sandboxes; none lists them.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString(WorkDirModes.TRAVERSE));
    String taskUser = System.getenv().getOrDefault("KOS_AGENT_TASK_USER", TaskUsers.DEFAULT_SETTING);
    HostResources host = HostResources.detect(root);
    BusSettings bus = busSettings(plan);
    for (int i = 1; i <= plan.agents(); i++) {
      String id = "local-" + i;
      PortRange ports = localPorts(i, plan.agents());
      ResourceSet share = plan.agentSize().orElseGet(() -> new ResourceSet(Math.max(1, host.cores() / plan.agents()),
          host.memMb() / plan.agents(), host.diskMb() / plan.agents(), List.of()));
      ResourceSet slice = new ResourceSet(share.cpus(), share.memMb(), share.diskMb(),
          List.of(ports));
      AgentSettings settings = new AgentSettings(id, localAddress(i), slice, Map.of("host", "local"), Map.of(),
          root.resolve(id), bus, AgentSettings.DEFAULT_HEARTBEAT, AgentSettings.DEFAULT_METRICS_INTERVAL,
          AgentSettings.DEFAULT_LOG_BUFFER_CAPACITY).withTaskUser(taskUser);
      try {
        started.push(BusAgent.start(settings, Clock.systemUTC()));
      } catch (IllegalStateException e) {
        if (e.getMessage() == null || !e.getMessage().contains("cannot reach its work dir")) {
          throw e;
        }
        // A --data-dir under /root, which the default task user (nobody, on a root agent) cannot pass.
        throw new UsageProblem(e.getMessage() + " (here: a --data-dir others may pass through, or "
            + "KOS_AGENT_TASK_USER=agent to run the tasks as kos's own user)");
      }
      progress.printf("agent %s at %s: %.0f cpus, %.0f MiB, ports %d-%d, work dir %s%n", id, localAddress(i),
          slice.cpus(), slice.memMb(), ports.begin(), ports.end(), root.resolve(id));
    }
  }

  /**
   * The address local agent {@code i} (from 1) reports as its hostname: a loopback address of its own, 127.0.0.i.
   * Its tasks advertise it (a Kafka broker's listeners, an app's endpoints), so it must be an address every client
   * on this machine reaches without a name service (the agent id {@code local-i} resolves nowhere, and brokers
   * advertising it never formed a quorum, issue 21), and one of its own per agent, so constraints on
   * {@code hostname} still tell the agents apart. Linux routes all of 127.0.0.0/8 to the loopback interface.
   */
  /** Where Linux's ephemeral ports begin by default (net.ipv4.ip_local_port_range): outgoing connections take them. */
  static final int EPHEMERAL_PORTS_FROM = 32768;

  /**
   * Local agent {@code i}'s ports (from 1, of {@code agents}): slices of 31000-32767, so no task is handed a port the
   * kernel may already have given an outgoing connection (a task's bind then failed, seen with the third agent's
   * 33000-33999). Each agent keeps at least 100 ports; more than 17 agents reach into the ephemeral range.
   */
  static PortRange localPorts(int i, int agents) {
    int width = Math.max(100, Math.min(1000, (EPHEMERAL_PORTS_FROM - 31000) / agents));
    int first = 31000 + (i - 1) * width;
    return new PortRange(first, first + width - 1);
  }

  static String localAddress(int i) {
    return "127." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff);
  }

  /**
   * The built-in frameworks: {@code apps} runs every app in the default role {@code *}, {@code jobs}
   * runs batch jobs in its low-priority role {@code jobs}, {@code kafka} runs Kafka clusters (role
   * {@code kafka}) whose brokers are tasks on the local agents.
   */
  private void startFrameworks(Plan plan, PrintWriter progress) {
    apps = new AppsFramework(new ControlBus(busSettings(plan)), "*", AppsFramework.policy(Optional.empty()),
        Clock.systemUTC()).start();
    started.push(apps);
    progress.println("framework apps registered (role *): deploy with `kos app deploy FILE`");
    jobs = new JobsFramework(new ControlBus(busSettings(plan)), JobsFramework.ROLE, JobsConfig.DEFAULT,
        Clock.systemUTC()).start();
    started.push(jobs);
    progress.println("framework jobs registered (role " + JobsFramework.ROLE + "): submit with `kos job run FILE`");
    KafkaFrameworkSettings kafka = KafkaFrameworkSettings.defaults();
    started.push(new KafkaFramework(new ControlBus(busSettings(plan)), kafka, Clock.systemUTC()).start());
    progress.println("framework kafka registered (role " + kafka.role()
        + "): run a Kafka cluster with `kos kafka create NAME --brokers 3`");
    // kos lb: every app with a loadBalancer port is served on it; every app by path on a free port.
    lb = new KosLb(new ControlBus(busSettings(plan)), LbSettings.defaults("local").withBindHost("127.0.0.1")
        .withPathPort(0), Clock.systemUTC()).start();
    started.push(lb);
    progress.println("kos lb (local): apps by path on http://127.0.0.1:" + lb.edge().pathPort().orElseThrow()
        + "/APP-ID/, and each app's loadBalancer port on 127.0.0.1");
  }

  /**
   * The analytics store of {@code kos up --analytics}: the Cassandra cluster at {@code existing},
   * or an embedded node (data under {@code dataDir}/cassandra) that closing the stack stops. Either
   * way the rollup schema is ensured, so queries work before the first rollup. Returns the contact
   * points for the cluster file.
   */
  public String useCassandra(Optional<String> existing, Optional<Path> dataDir, PrintWriter progress) {
    String contactPoints;
    if (existing.isPresent()) {
      contactPoints = existing.get();
      progress.println("using the Cassandra cluster at " + contactPoints);
    } else {
      EmbeddedCassandraSettings settings = EmbeddedCassandraSettings.defaults();
      if (dataDir.isPresent()) {
        settings = settings.withDataDir(dataDir.get().resolve("cassandra"));
      }
      progress.println("starting a Cassandra node in "
          + dataDir.map(d -> d.resolve("cassandra").toString()).orElse("a temporary directory") + " ...");
      EmbeddedCassandra node = EmbeddedCassandra.start(settings, CassandraSessions::probe);
      node.stopOnlyWhenClosed();
      started.push(node);
      contactPoints = node.contactPoint();
      progress.printf("Cassandra ready at %s in %.1f s (log: %s)%n", contactPoints,
          node.startupTime().toMillis() / 1e3, node.systemLog());
    }
    try (CqlSession session = CassandraSessions.open(ContactPoints.parse(contactPoints), Duration.ofSeconds(30))) {
      SchemaInstaller.install(session, SchemaSettings.defaults());
    } catch (AllNodesFailedException e) {
      throw new UsageProblem("cannot reach Cassandra at " + contactPoints + " (" + e.getMessage()
          + "); check --cassandra, or drop it to start a node of our own with --analytics");
    }
    progress.println("analytics keyspace " + SchemaSettings.DEFAULT_KEYSPACE + " ready");
    return contactPoints;
  }

  private BusSettings busSettings(Plan plan) {
    return new BusSettings(bootstrapServers, schemaRegistryUrl, plan.catalog());
  }

  /** Stops what the stack started, newest first; safe to call more than once, and from more than one thread. */
  @Override
  public synchronized void close() {
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook waits for this close to finish, then finds nothing left.
      }
    }
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("kos: while stopping: " + e);
      }
    }
  }
}
