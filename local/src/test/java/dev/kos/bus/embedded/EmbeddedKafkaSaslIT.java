package dev.kos.bus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker secured with {@link SaslPlainSetup}: who may talk to it, and what they may do. */
class EmbeddedKafkaSaslIT {

  private static final SaslPlainSetup SASL = SaslPlainSetup.of(Map.of("admin", "admin-secret", "alice", "alice-secret"), "admin");
  private static final String TOPIC = "it.secured";
  /** Short, so a refused client fails the test quickly instead of retrying for a minute. */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(3);
  /** A granted ACL reaches the broker's authorizer through the metadata log, a moment after createAcls returns. */
  private static final Duration ACL_PROPAGATION = Duration.ofSeconds(10);

  @TempDir
  Path dataDir;

  private EmbeddedKafkaSettings securedOnDataDir() {
    return SASL.applyTo(EmbeddedKafkaSettings.defaults().withDataDir(dataDir));
  }

  @Test
  void shouldRefuseAliceUntilTheSuperUserGrantsHerTheTopic() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(securedOnDataDir());
        Admin admin = admin(kafka, SASL.clientConfig("admin"));
        Admin alice = admin(kafka, SASL.clientConfig("alice"))) {
      admin.createTopics(Set.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();

      assertThatThrownBy(() -> alice.describeTopics(List.of(TOPIC)).allTopicNames().get())
          .hasCauseInstanceOf(TopicAuthorizationException.class);
      assertThatThrownBy(() -> send(kafka, "alice", "refused"))
          .as("producing without ACLs")
          .hasCauseInstanceOf(AuthorizationException.class);

      admin.createAcls(allowAliceOn(TOPIC, AclOperation.WRITE, AclOperation.DESCRIBE)).all().get();

      sendWithinAclPropagation(kafka, "alice", "granted");
      assertThat(alice.describeTopics(List.of(TOPIC)).allTopicNames().get()).containsKey(TOPIC);
      assertThat(readAll(kafka, TOPIC, 1)).containsExactly("granted");
    }
  }

  @Test
  void shouldNotAnswerAClientWithoutSasl() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(securedOnDataDir());
        Admin plain = admin(kafka, Map.of())) {
      assertThatThrownBy(() -> plain.describeCluster().nodes().get())
          .hasCauseInstanceOf(TimeoutException.class);
    }
  }

  @Test
  void shouldKeepUsersAndAclsWhenRestartedWithTheSameOverrides() throws Exception {
    try (EmbeddedKafka first = EmbeddedKafka.start(securedOnDataDir());
        Admin admin = admin(first, SASL.clientConfig("admin"))) {
      admin.createTopics(Set.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
      admin.createAcls(allowAliceOn(TOPIC, AclOperation.WRITE, AclOperation.DESCRIBE)).all().get();
      sendWithinAclPropagation(first, "alice", "before-restart");
    }

    try (EmbeddedKafka second = EmbeddedKafka.start(securedOnDataDir())) {
      send(second, "alice", "after-restart");
      assertThat(readAll(second, TOPIC, 2)).containsExactly("before-restart", "after-restart");
    }
  }

  private static List<AclBinding> allowAliceOn(String topic, AclOperation... operations) {
    ResourcePattern resource = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
    List<AclBinding> bindings = new ArrayList<>();
    for (AclOperation operation : operations) {
      bindings.add(new AclBinding(resource, new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW)));
    }
    return bindings;
  }

  private static Admin admin(EmbeddedKafka kafka, Map<String, String> security) {
    Map<String, Object> config = withBootstrap(kafka, security);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
    return Admin.create(config);
  }

  /** One record from a fresh producer: a producer refused its producer id stays failed. */
  private static void send(EmbeddedKafka kafka, String user, String value) throws Exception {
    Map<String, Object> config = withBootstrap(kafka, SASL.clientConfig(user));
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
    // Kafka requires the delivery timeout to cover linger and one request.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.multipliedBy(2).toMillis());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, value, value)).get();
    }
  }

  private static void sendWithinAclPropagation(EmbeddedKafka kafka, String user, String value) throws Exception {
    Instant deadline = Instant.now().plus(ACL_PROPAGATION);
    while (true) {
      try {
        send(kafka, user, value);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof AuthorizationException) || Instant.now().isAfter(deadline)) {
          throw e;
        }
      }
    }
  }

  /** The topic's only partition from the beginning, read as the super user. */
  private static List<String> readAll(EmbeddedKafka kafka, String topic, int expected) {
    Map<String, Object> config = withBootstrap(kafka, SASL.clientConfig("admin"));
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      Instant deadline = Instant.now().plus(TestClients.READ_TIMEOUT);
      while (values.size() < expected && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }

  private static Map<String, Object> withBootstrap(EmbeddedKafka kafka, Map<String, String> security) {
    Map<String, Object> config = new HashMap<>(security);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return config;
  }
}
