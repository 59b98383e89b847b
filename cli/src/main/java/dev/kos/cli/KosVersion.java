package dev.kos.cli;

import picocli.CommandLine;

/** The version from the jar's manifest, so `kos --version` says what was built. */
public final class KosVersion implements CommandLine.IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = Kos.class.getPackage().getImplementationVersion();
    return new String[] {"kos " + (version == null ? "(development build)" : version)};
  }
}
