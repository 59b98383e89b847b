package dev.kos.agent.model;

public enum HealthProtocol {
  COMMAND, HTTP, TCP
}
