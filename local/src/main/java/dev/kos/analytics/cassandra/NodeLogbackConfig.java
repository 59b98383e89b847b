package dev.kos.analytics.cassandra;

import java.nio.file.Path;

/**
 * Logback configuration of the node (Cassandra 5.0 ships Logback 1.2 and no configuration in its
 * jar; without one it would print DEBUG to the console). INFO to {@code logs/system.log}, rolled
 * by size so a long-running {@code kos up} does not fill the disk.
 */
final class NodeLogbackConfig {

  private NodeLogbackConfig() {}

  static String render(Path systemLog) {
    return """
        <configuration scan="false">
          <appender name="SYSTEMLOG" class="ch.qos.logback.core.rolling.RollingFileAppender">
            <file>%1$s</file>
            <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
              <fileNamePattern>%1$s.%%i.zip</fileNamePattern>
              <minIndex>1</minIndex>
              <maxIndex>3</maxIndex>
            </rollingPolicy>
            <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
              <maxFileSize>20MB</maxFileSize>
            </triggeringPolicy>
            <encoder>
              <pattern>%%-5level [%%thread] %%date{ISO8601} %%F:%%L - %%msg%%n</pattern>
            </encoder>
          </appender>
          <root level="INFO">
            <appender-ref ref="SYSTEMLOG"/>
          </root>
        </configuration>
        """.formatted(systemLog);
  }
}
