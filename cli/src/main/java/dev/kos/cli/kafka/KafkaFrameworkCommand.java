package dev.kos.cli.kafka;

import dev.kos.bus.metrics.MetricsServer;
import dev.kos.cli.common.AccessPolicyOption;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.DurationConverter;
import dev.kos.cli.common.FromEnvironment;
import dev.kos.cli.common.MetricsOptions;
import dev.kos.cli.common.UntilStopped;
import dev.kos.cli.common.UsageProblem;
import dev.kos.frameworks.kafka.KafkaFramework;
import dev.kos.frameworks.kafka.KafkaFrameworkSettings;
import dev.kos.frameworks.kafka.core.SelfHealing;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos kafka framework}: runs the kafka framework in the foreground. */
@Command(name = "framework", mixinStandardHelpOptions = true,
    description = {"Run the kafka framework in the foreground, until Ctrl-C.",
        "It registers as framework kafka (role kafka), answers the kafka commands and runs the brokers on kos "
            + "agents. Its clusters are kept on kos.kafka-clusters, so a restarted framework takes them up again; "
            + "the brokers run on meanwhile. An instance another instance replaced stops acting and exits with "
            + "status 75."})
public final class KafkaFrameworkCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  AccessPolicyOption access;

  @Option(names = "--kafka-classpath", paramLabel = "CLASSPATH",
      description = "Classpath of brokers of this kos's own Kafka release, the default one, with its kafka_2.13 "
          + "jars and Logback (default: this kos's own classpath)")
  String kafkaClasspath;

  @Option(names = "--kafka-version", paramLabel = "RELEASE=CLASSPATH",
      description = {"Another Kafka release brokers can run, for `kos kafka create --version` and `kos kafka "
          + "upgrade`: the classpath of its kafka_2.13 jars, their dependencies and Logback. Repeatable."})
  Map<String, String> kafkaVersions = new LinkedHashMap<>();

  @Option(names = "--rack-attribute", paramLabel = "NAME", defaultValue = "zone",
      description = "The agent attribute whose value becomes each broker's broker.rack, so that Kafka spreads a "
          + "topic's replicas over racks (default: ${DEFAULT-VALUE}; an agent without it gives no rack)")
  String rackAttribute;

  @Option(names = "--throttle", paramLabel = "BYTES_PER_SEC", defaultValue = "10485760",
      description = "Replication throttle while partitions move (default: ${DEFAULT-VALUE})")
  long throttle;

  @FromEnvironment
  @Option(names = "--replace-broker-after", paramLabel = "DURATION", defaultValue = "10m",
      converter = DurationConverter.class,
      description = {"How long a broker-only node whose agent is gone (its task LOST, its reservation no longer "
          + "offered) waits for that agent before the framework places it anew on another agent, with an empty "
          + "volume its partitions re-replicate to (BROKER_REPLACED). A KRaft controller always waits for its "
          + "agent. (env KOS_REPLACE_BROKER_AFTER; default: ${DEFAULT-VALUE})"})
  Duration replaceBrokerAfter;

  @FromEnvironment
  @Option(names = "--max-broker-failures", paramLabel = "N", defaultValue = "5",
      description = {"How many times in a row a broker's task may end unasked (a crash, a failed start, a lost "
          + "agent) before the framework stops relaunching it: the broker stays STOPPED, and BROKER_GAVE_UP on "
          + "kos.status and `kos kafka describe` say why, until `kos kafka config` or `kos kafka upgrade` gives it "
          + "another try. (env KOS_MAX_BROKER_FAILURES; default: ${DEFAULT-VALUE})"})
  int maxBrokerFailures;

  @Mixin
  MetricsOptions metrics;

  @Override
  public Integer call() throws Exception {
    KafkaFrameworkSettings settings = settings();
    Optional<MetricsServer> served = metrics.serve(spec.commandLine().getOut());
    KafkaFramework framework;
    try {
      framework = new KafkaFramework(bus.connect(), settings, Clock.systemUTC()).authorizing(access.policy()).start();
    } catch (RuntimeException e) {
      MetricsOptions.close(served);
      throw e;
    }
    UntilStopped life = UntilStopped.onStop("kafka-framework", () -> {
      try {
        framework.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      MetricsOptions.close(served);
    });
    UntilStopped.exitWhenReplaced(settings.frameworkId(), framework.replaced(), spec.commandLine().getErr());
    spec.commandLine().getOut().printf("kafka framework running against %s (Kafka %s, default %s); Ctrl-C stops "
        + "it%n", bus.bootstrapServers(), String.join(", ", settings.versions().available()), settings.kafkaVersion());
    spec.commandLine().getOut().flush();
    life.await();
    return 0;
  }

  /** The settings from the parsed options; package-private for the test of what each option sets. */
  KafkaFrameworkSettings settings() {
    try {
      KafkaFrameworkSettings settings = KafkaFrameworkSettings.defaults().withThrottle(throttle)
          .withRackAttribute(rackAttribute).withHealing(new SelfHealing(replaceBrokerAfter,
          maxBrokerFailures));
      if (kafkaClasspath != null) {
        settings = settings.withKafka(settings.kafkaVersion(), kafkaClasspath);
      }
      for (Map.Entry<String, String> release : kafkaVersions.entrySet()) {
        settings = settings.withKafka(release.getKey(), release.getValue());
      }
      return settings;
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
  }
}
