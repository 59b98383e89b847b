package dev.kos.frameworks.kafka.core;

/**
 * The cluster's {@code metadata.version} feature as its Admin API describes it.
 *
 * @param finalized the level the cluster runs at; what every broker must be able to read
 * @param supported the highest level the answering broker's release supports
 */
public record MetadataLevels(short finalized, short supported) {

  public static final MetadataLevels UNKNOWN = new MetadataLevels((short) -1, (short) -1);

  public boolean behind() {
    return finalized >= 0 && supported > finalized;
  }
}
