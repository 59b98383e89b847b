package dev.kos.bench.results;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.utils.AppInfoParser;

/** The versions a run measured: kos (from the control-bus jar's Maven metadata) and Kafka. */
public final class Versions {
  private static final String KOS_POM = "META-INF/maven/dev.kos/kos-control-bus/pom.properties";

  private Versions() {
  }

  public static Map<String, String> current() {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("kos", kosVersion());
    versions.put("kafka", AppInfoParser.getVersion() + " (clients, Streams and the embedded broker)");
    return versions;
  }

  private static String kosVersion() {
    try (InputStream in = Versions.class.getClassLoader().getResourceAsStream(KOS_POM)) {
      if (in == null) {
        return "unknown (control-bus not loaded from its jar)";
      }
      Properties pom = new Properties();
      pom.load(in);
      return pom.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
