package dev.kos.analytics.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.model.Resources;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KosSparkSettingsTest {

  private static SparkConf conf(String... keyValues) {
    SparkConf conf = new SparkConf(false);
    for (int i = 0; i < keyValues.length; i += 2) {
      conf.set(keyValues[i], keyValues[i + 1]);
    }
    return conf;
  }

  @Test
  void readsTheBusFromTheMasterAndTheRestFromSparkKosSettings() {
    KosSparkSettings settings = KosSparkSettings.from("kos://b1:9092,b2:9092", conf(
        "spark.kos.schemaRegistry", "http://r:8081", "spark.kos.topicPrefix", "t.", "spark.kos.role", "batch",
        "spark.executor.cores", "2", "spark.executor.memory", "2g", "spark.kos.executor.classpath", "/a.jar"), 3);

    assertThat(settings.bus().bootstrapServers()).isEqualTo("b1:9092,b2:9092");
    assertThat(settings.bus().schemaRegistryUrl()).isEqualTo("http://r:8081");
    assertThat(settings.bus().catalog().prefix()).isEqualTo("t.");
    assertThat(settings.role()).isEqualTo("batch");
    assertThat(settings.failoverTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.executorSize().resources()).isEqualTo(Resources.of(2, 2048 + 384));
    assertThat(settings.executorClasspath()).isEqualTo("/a.jar");
    assertThat(settings.maxExecutorFailures()).isEqualTo(6);
  }

  @Test
  void defaultsToTheAnalyticsRole() {
    assertThat(KosSparkSettings.from("kos://b:9092", conf("spark.kos.schemaRegistry", "http://r"), 2).role())
        .isEqualTo("analytics");
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of("kos://", conf("spark.kos.schemaRegistry", "http://r"), "names no bootstrap server"),
        Arguments.of("kos://b:9092", conf(), "spark.kos.schemaRegistry is not set"),
        Arguments.of("kos://b:9092", conf("spark.kos.schemaRegistry", "http://r", "spark.executor.cores", "0"),
            "spark.executor.cores must be at least 1"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("badSettings")
  void saysWhatIsWrong(String master, SparkConf conf, String message) {
    assertThatThrownBy(() -> KosSparkSettings.from(master, conf, 2)).hasMessageContaining(message);
  }

  @Test
  void makesTheDriversClasspathAbsoluteForTheExecutorsSandboxes() {
    String cwd = Path.of("").toAbsolutePath().toString();
    assertThat(KosSparkSettings.absolute("target/job.jar" + File.pathSeparator + "target/lib/*"))
        .isEqualTo(cwd + "/target/job.jar" + File.pathSeparator + cwd + "/target/lib/*");
  }

  @Test
  void claimsOnlyKosMasters() {
    assertThat(new KosClusterManager().canCreate("kos://b:9092")).isTrue();
    assertThat(new KosClusterManager().canCreate("local[2]")).isFalse();
    assertThat(new KosClusterManager().canCreate("k8s://https://api")).isFalse();
  }
}
