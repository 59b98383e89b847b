package dev.kos.bus.embedded;

/** The identity Kafka's storage format wrote into {@code meta.properties}. */
public record FormattedStorage(String clusterId, int nodeId) {}
