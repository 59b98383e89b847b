package dev.kos.cli.role;

import dev.kos.cli.results.Formats;
import dev.kos.schema.Resources;
import dev.kos.schema.RoleInfo;

/** How {@code kos role list} writes a role's record. Pure. */
final class RoleView {

  static final String[] HEADER = {"ROLE", "WEIGHT", "PRIORITY", "GUARANTEE", "LIMIT", "MAX-UTIL"};

  private RoleView() {
  }

  /** A role's row: a quota as cpus/mem/disk (MiB); in a limit a 0 scalar is not limited ("-"). */
  static String[] row(RoleInfo role) {
    return new String[] {role.getRole(), Formats.number(role.getWeight()), Integer.toString(role.getPriority()),
        quota(role.getGuarantee(), "0"), quota(role.getLimit(), "-"),
        role.getMaxClusterUtilization() == null ? "-" : Formats.number(role.getMaxClusterUtilization())};
  }

  private static String quota(Resources resources, String zero) {
    if (resources == null) {
      return "-";
    }
    return "cpus " + scalar(resources.getCpus(), zero) + " mem " + scalar(resources.getMem(), zero) + " disk "
        + scalar(resources.getDisk(), zero);
  }

  private static String scalar(double value, String zero) {
    return value > 0 ? Formats.number(value) : zero;
  }
}
