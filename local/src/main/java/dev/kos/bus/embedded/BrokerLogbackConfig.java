package dev.kos.bus.embedded;

import java.nio.file.Path;

/**
 * The logback configuration of the forked broker JVM: INFO and above into one file, nothing on
 * the console, so a broker started by a test or by {@code kos up} does not flood the terminal.
 */
public final class BrokerLogbackConfig {

  private BrokerLogbackConfig() {}

  public static String render(Path logFile) {
    return """
        <configuration>
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <encoder>
              <pattern>%%d{ISO8601} %%-5level [%%thread] %%logger{36} - %%msg%%n</pattern>
            </encoder>
          </appender>
          <root level="INFO">
            <appender-ref ref="FILE"/>
          </root>
        </configuration>
        """.formatted(xmlEscape(logFile.toAbsolutePath().toString()));
  }

  /** The option that makes a forked JVM read {@code configFile} instead of any logback.xml on the classpath. */
  public static String jvmOption(Path configFile) {
    return "-Dlogback.configurationFile=" + configFile.toAbsolutePath();
  }

  private static String xmlEscape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
