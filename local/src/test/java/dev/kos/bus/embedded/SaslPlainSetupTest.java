package dev.kos.bus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SaslPlainSetupTest {

  private static final SaslPlainSetup SETUP = SaslPlainSetup.of(Map.of("alice", "alice-secret", "admin", "admin-secret"), "admin");
  private static final String PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

  static Stream<Arguments> expectedOverrides() {
    return Stream.of(
        Arguments.of("the broker listener keeps its name and speaks SASL", "listener.security.protocol.map",
            "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT"),
        Arguments.of("PLAIN only", "sasl.enabled.mechanisms", "PLAIN"),
        Arguments.of("the broker talks PLAIN to itself", "sasl.mechanism.inter.broker.protocol", "PLAIN"),
        Arguments.of("the broker logs in as the super user and accepts every user, in name order",
            "listener.name.plaintext.plain.sasl.jaas.config",
            PLAIN + " required username=\"admin\" password=\"admin-secret\""
                + " user_admin=\"admin-secret\" user_alice=\"alice-secret\";"),
        Arguments.of("KRaft's authorizer", "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
        Arguments.of("the super user, and the broker on its PLAINTEXT controller connection", "super.users",
            "User:admin;User:ANONYMOUS"),
        Arguments.of("no ACL means no access", "allow.everyone.if.no.acl.found", "false"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("expectedOverrides")
  void shouldOverride(String why, String key, String value) {
    assertThat(SETUP.serverOverrides()).containsEntry(key, value);
  }

  @Test
  void shouldOverrideNothingElse() {
    assertThat(SETUP.serverOverrides()).hasSize((int) expectedOverrides().count());
  }

  @Test
  void shouldGiveAClientTheCredentialsOfItsUser() {
    assertThat(SETUP.clientConfig("alice")).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", PLAIN + " required username=\"alice\" password=\"alice-secret\";"));
  }

  @Test
  void shouldApplyOverridesAndLetTheLauncherConnectAsTheSuperUser() {
    EmbeddedKafkaSettings settings = SETUP.applyTo(EmbeddedKafkaSettings.defaults());

    assertThat(settings.serverOverrides()).isEqualTo(SETUP.serverOverrides());
    assertThat(settings.clientConfig()).isEqualTo(SETUP.clientConfig("admin"));
  }

  @Test
  void shouldPassItsOverridesThroughTheSettingsCheck() {
    assertThat(SETUP.serverOverrides().keySet()).doesNotContainAnyElementsOf(ServerProperties.DERIVED_BY_KOS);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("super user without a password",
            (Supplier<?>) () -> SaslPlainSetup.of(Map.of("alice", "secret"), "admin"), "super user admin has no password"),
        Arguments.of("user name that would break the JAAS option name",
            (Supplier<?>) () -> SaslPlainSetup.of(Map.of("admin", "secret", "bob smith", "secret"), "admin"), "user name"),
        Arguments.of("password that would end the JAAS quotes",
            (Supplier<?>) () -> SaslPlainSetup.of(Map.of("admin", "se\"cret"), "admin"), "password of admin"),
        Arguments.of("empty password",
            (Supplier<?>) () -> SaslPlainSetup.of(Map.of("admin", ""), "admin"), "password of admin"),
        Arguments.of("client of an unknown user",
            (Supplier<?>) () -> SETUP.clientConfig("mallory"), "unknown user mallory"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void shouldRejectAtConstruction(String name, Supplier<?> construction, String messagePart) {
    assertThatThrownBy(construction::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(messagePart);
  }
}
