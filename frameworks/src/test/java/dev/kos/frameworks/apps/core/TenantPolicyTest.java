package dev.kos.frameworks.apps.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The policy file's format: one row per mistake and the message naming the key. */
class TenantPolicyTest {

  record Row(String name, String file, String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> mistakes() {
    return Stream.of(
        new Row("an unknown key", "alice.roles=web",
            "tenant policy: unknown key alice.roles; expected principal.<name>.roles or principal.<name>.prefixes"),
        new Row("roles without prefixes", "principal.alice.roles=web",
            "tenant policy: principal.alice.prefixes is missing"),
        new Row("empty roles", "principal.alice.roles= , \nprincipal.alice.prefixes=/a/",
            "tenant policy: principal.alice.roles is empty"),
        new Row("a prefix without a trailing slash", "principal.alice.roles=web\nprincipal.alice.prefixes=/team-a",
            "tenant policy: principal.alice.prefixes: prefix \"/team-a\" must start and end with / (like /team-a/)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void shouldRefuseAMistakeNamingTheKey(Row row) {
    assertThatThrownBy(() -> TenantPolicy.parse(properties(row.file())))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(row.error());
  }

  @Test
  void shouldReadPrincipalsWithDotsAndSeveralValues() {
    TenantPolicy policy = TenantPolicy.parse(properties(
        "principal.alice@example.com.roles=web, api\nprincipal.alice@example.com.prefixes=/team-a/, /shared/"));

    assertThat(policy.denies("alice@example.com", "/shared/cache", Optional.of("api"))).isEmpty();
    assertThat(policy.denies("alice@example.com", "/team-b/x", Optional.empty())).isPresent();
  }

  @Test
  void shouldLetEveryoneDoEverythingWithoutAPolicy() {
    assertThat(TenantPolicy.OPEN.denies("anyone", "/any/app", Optional.of("any"))).isEmpty();
  }

  private static Properties properties(String text) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return properties;
  }
}
