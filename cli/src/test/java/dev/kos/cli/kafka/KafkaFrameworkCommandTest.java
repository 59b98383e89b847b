package dev.kos.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.cli.KosDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class KafkaFrameworkCommandTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "flag \"{0}\", env \"{1}\" -> {2}")
  @CsvSource({
      "'',                           '',   PT10M",
      "'--replace-broker-after=3s',  '',   PT3S",
      "'',                           '5m', PT5M",
      "'--replace-broker-after=90s', '5m', PT1M30S"})
  void shouldTakeTheAgentPatienceFromTheFlagThenTheEnvironmentThenTenMinutes(String flag, String env,
      Duration expected) {
    assertThat(parse(flag, env).settings().healing().agentPatience()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "flag \"{0}\", env \"{1}\" -> {2}")
  @CsvSource({
      "'',                         '',  5",
      "'--max-broker-failures=2',  '',  2",
      "'',                         '8', 8",
      "'--max-broker-failures=3',  '8', 3"})
  void shouldTakeTheFailureCapFromTheFlagThenTheEnvironmentThenFive(String flag, String env, int expected) {
    KafkaFrameworkCommand command = new KafkaFrameworkCommand();
    new CommandLine(command).setDefaultValueProvider(new KosDefaults(
        env.isEmpty() ? Map.of() : Map.of("KOS_MAX_BROKER_FAILURES", env), dir.resolve("none"),
        dir.resolve("none-either"))).parseArgs(flag.isEmpty() ? new String[0] : new String[] {flag});
    assertThat(command.settings().healing().maxFailures()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"--replace-broker-after=0s, positive duration", "--replace-broker-after=soon, soon",
      "--max-broker-failures=0, at least 1 failure"})
  void shouldRefuseAPatienceThatIsNoPositiveDuration(String flag, String reason) {
    assertThatThrownBy(() -> parse(flag, "").settings()).hasMessageContaining(reason);
  }

  private KafkaFrameworkCommand parse(String flag, String env) {
    KafkaFrameworkCommand command = new KafkaFrameworkCommand();
    new CommandLine(command).setDefaultValueProvider(new KosDefaults(
        env.isEmpty() ? Map.of() : Map.of("KOS_REPLACE_BROKER_AFTER", env), dir.resolve("none"),
        dir.resolve("none-either"))).parseArgs(flag.isEmpty() ? new String[0] : new String[] {flag});
    return command;
  }
}
