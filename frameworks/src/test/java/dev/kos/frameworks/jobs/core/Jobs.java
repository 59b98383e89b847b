package dev.kos.frameworks.jobs.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fluent builder of job definitions for tests: a valid run-once job until told otherwise. */
final class Jobs {

  private String id;
  private Optional<String> cmd = Optional.of("echo hi");
  private List<String> argv = List.of();
  private double cpus = 0.5;
  private double mem = 64;
  private double disk = 0;
  private Optional<String> schedule = Optional.empty();
  private int retries;
  private Optional<Duration> deadline = Optional.empty();
  private String role = "jobs";

  private Jobs(String id) {
    this.id = id;
  }

  static Jobs job(String id) {
    return new Jobs(id);
  }

  Jobs cmd(String value) {
    cmd = Optional.ofNullable(value);
    return this;
  }

  Jobs argv(String... values) {
    argv = List.of(values);
    return this;
  }

  Jobs cpus(double value) {
    cpus = value;
    return this;
  }

  Jobs mem(double value) {
    mem = value;
    return this;
  }

  Jobs disk(double value) {
    disk = value;
    return this;
  }

  Jobs schedule(String value) {
    schedule = Optional.of(value);
    return this;
  }

  Jobs retries(int value) {
    retries = value;
    return this;
  }

  Jobs deadline(Duration value) {
    deadline = Optional.of(value);
    return this;
  }

  Jobs role(String value) {
    role = value;
    return this;
  }

  Jobs id(String value) {
    id = value;
    return this;
  }

  JobDefinition build() {
    return new JobDefinition(id, cmd, argv, cpus, mem, disk, Map.of(), schedule, retries, deadline, role);
  }
}
