package dev.kos.systemtests.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.testing.LeanTestJvm;
import dev.kos.bus.testing.OneClusterCaseAtATime;
import dev.kos.cli.Kos;
import dev.kos.cli.common.KosHome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Kafka flow exactly as a new user runs it: `kos up` (a process of its own, its default agents or
 * {@code --agents 3}), then `kos kafka create demo --brokers 3` from another shell, then a producer and a consumer
 * on the bootstrap servers `kos kafka list` prints. Issue 21 found both broken: with the default two agents the third
 * broker waited for ever without a word, and with three the brokers advertised the local agents' names
 * ({@code local-1}), which nothing resolves, so they never formed a quorum. The cluster's topics are then listed
 * with their replicas' placement (`kos kafka topics`), and `kos kafka delete` removes it all.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
@ExtendWith(OneClusterCaseAtATime.class)
class ReadmeKafkaFlowIT {

  private static final Duration UP = Duration.ofMinutes(2);
  private static final Duration SLOW = Duration.ofMinutes(5);
  private static final int RECORDS = 1_000;

  /** Kept when a test fails: `kos up`'s output, and the agents' sandboxes with the brokers' own logs. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private Process up;

  @AfterEach
  void stopKos() throws Exception {
    if (up != null && up.isAlive()) {
      up.destroy();
      if (!up.waitFor(60, TimeUnit.SECONDS)) {
        up.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    // The agents leave their tasks running when they stop, as a restarted agent expects: the brokers go here.
    BrokerProcesses.killAll(dir);
  }

  @Test
  void shouldSayWhyAThirdBrokerCannotBePlacedOnKosUpsTwoDefaultAgents() throws Exception {
    kosUp();

    Result created = kos("kafka", "create", "demo", "--brokers", "3");
    assertThat(created.exitCode()).as(created.toString()).isZero();

    Result described = awaitOutput("describe to say why broker 3 waits", SLOW,
        out -> out.contains("one broker of a cluster per agent"), "kafka", "describe", "demo");
    assertThat(described.out()).contains("broker 3", "2 agents");
    Result events = kos("events", "--topic", "status", "--from-beginning", "--json");
    assertThat(events.out()).contains("\"kind\":\"BROKER_UNPLACED\"", "one broker of a cluster per agent");
  }

  @Test
  void shouldServeProducersAndConsumersOnTheBootstrapServersKafkaListPrintsWithThreeAgents() throws Exception {
    kosUp("--agents", "3");

    Result created = kos("kafka", "create", "demo", "--brokers", "3");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    Result listed = awaitOutput("3 of 3 brokers healthy in `kos kafka list`", SLOW,
        out -> out.contains("3/3 healthy"), "kafka", "list");
    String bootstrap = bootstrapOf(listed.out(), "demo");

    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic("readme", 3, (short) 3)
          .configs(Map.of("min.insync.replicas", "2")))).all().get(2, TimeUnit.MINUTES);
    }
    List<String> sent = new ArrayList<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      for (int i = 0; i < RECORDS; i++) {
        String value = "record-" + i;
        producer.send(new ProducerRecord<>("readme", Integer.toString(i), value)).get(2, TimeUnit.MINUTES);
        sent.add(value);
      }
    }
    assertThat(consumeAll(bootstrap, "readme", RECORDS)).containsExactlyInAnyOrderElementsOf(sent);

    Result topics = kos("kafka", "topics", "demo");
    assertThat(topics.exitCode()).as(topics.toString()).isZero();
    assertThat(topics.out().lines().filter(line -> line.startsWith("readme "))).as(topics.out()).hasSize(3)
        .allSatisfy(line -> assertThat(line).contains("@local-1", "@local-2", "@local-3"));
    assertThat(kos("kafka", "topics", "demo", "--json").out()).contains("\"topic\" : \"readme\"", "\"inSync\" : true");

    Result proposal = kos("kafka", "rebalance", "demo", "--dry-run");
    assertThat(proposal.exitCode()).as(proposal.toString()).isZero();
    assertThat(proposal.out()).contains("REPLICA_COUNT", "met: replicas per broker");
    Result rebalance = kos("kafka", "rebalance", "demo");
    assertThat(rebalance.exitCode()).as(rebalance.toString()).isZero();
    awaitOutput("the asked rebalance to finish", SLOW, out -> out.contains("REASSIGNMENT_FINISHED"),
        "kafka", "describe", "demo");

    Result unconfirmed = kos("kafka", "delete", "demo");
    assertThat(unconfirmed.exitCode()).as(unconfirmed.toString()).isEqualTo(2);
    assertThat(unconfirmed.err()).contains("add --yes");
    Result deleted = kos("kafka", "delete", "demo", "--yes");
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    awaitOutput("demo gone from `kos kafka list`", SLOW, out -> out.contains("no kafka clusters"), "kafka", "list");
    assertThat(BrokerProcesses.under(dir, "kafka-demo-1")).isEmpty();
    assertThat(kos("events", "--topic", "status", "--from-beginning", "--json").out())
        .contains("\"kind\":\"CLUSTER_DELETED\"");
  }

  /** Starts `kos up ARGS` as `bin/kos up` does, its temporary directories (agents, bus broker) under the test's. */
  private void kosUp(String... args) throws Exception {
    Path output = dir.resolve("up.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(LeanTestJvm.OPTIONS);
    command.addAll(List.of("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
        "-cp", System.getProperty("java.class.path"), Kos.class.getName(), "up"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("KOS_HOME", home().toString());
    up = builder.start();
    long deadline = System.nanoTime() + UP.toNanos();
    while (!Files.exists(KosHome.from(env()).clusterFile()) || !Files.readString(output).contains("kos is up")) {
      if (!up.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("kos up did not come up:\n" + Files.readString(output));
      }
      Thread.sleep(200);
    }
  }

  /** The BOOTSTRAP column of {@code cluster}'s row in `kos kafka list`. */
  private static String bootstrapOf(String listing, String cluster) {
    Optional<String> row = listing.lines().filter(line -> line.startsWith(cluster + " ")).findFirst();
    assertThat(row).as("a row for %s in:%n%s", cluster, listing).isPresent();
    String[] columns = row.get().trim().split("\\s+");
    return columns[columns.length - 1];
  }

  private static Properties producerConfig(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return props;
  }

  private static List<String> consumeAll(String bootstrap, String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "readme-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> read = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + SLOW.toNanos();
      while (read.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
          read.add(record.value());
        }
      }
    }
    return read;
  }

  private Result awaitOutput(String what, Duration timeout, Predicate<String> done, String... args)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Result last = kos(args);
    while (!done.test(last.out())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; `kos "
            + String.join(" ", args) + "` said last:\n" + last);
      }
      Thread.sleep(2_000);
      last = kos(args);
    }
    return last;
  }

  /** A `kos` command line from another shell: it finds the cluster through the cluster file `kos up` wrote. */
  private Result kos(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Kos.run(env(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private Map<String, String> env() {
    return Map.of("KOS_HOME", home().toString(), "KOS_PRINCIPAL", "alice");
  }

  private Path home() {
    return dir.resolve("home");
  }

  private record Result(int exitCode, String out, String err) {

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }
}
