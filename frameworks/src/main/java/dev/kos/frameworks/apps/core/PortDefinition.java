package dev.kos.frameworks.apps.core;

/** A port an app's instances listen on; {@code port} 0 means any port from the offer. */
public record PortDefinition(String name, int port) {

  public boolean isDynamic() {
    return port == 0;
  }
}
