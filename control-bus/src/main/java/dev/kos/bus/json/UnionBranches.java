package dev.kos.bus.json;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/** How people name the branches of a union: by short name where it is unambiguous. */
final class UnionBranches {

  private UnionBranches() {
  }

  /** The branches other than {@code null}. */
  static List<Schema> nonNull(Schema union) {
    return union.getTypes().stream().filter(branch -> branch.getType() != Schema.Type.NULL).toList();
  }

  static boolean allowsNull(Schema union) {
    return union.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL);
  }

  /**
   * A union with one branch besides {@code null} is written as that branch's plain value;
   * any other union needs its branch named.
   */
  static Optional<Schema> soleNonNull(Schema union) {
    List<Schema> branches = nonNull(union);
    return branches.size() == 1 ? Optional.of(branches.get(0)) : Optional.empty();
  }

  /**
   * The branch a key names: by full name ({@code dev.kos.schema.ScaleApp}), else by short
   * name if only one branch has it. For unnamed types both are the type name ({@code string}).
   */
  static Optional<Schema> named(Schema union, String key) {
    Optional<Schema> byFullName = union.getTypes().stream()
        .filter(branch -> branch.getFullName().equals(key))
        .findFirst();
    if (byFullName.isPresent()) {
      return byFullName;
    }
    List<Schema> byShortName = union.getTypes().stream()
        .filter(branch -> branch.getName().equals(key))
        .toList();
    return byShortName.size() == 1 ? Optional.of(byShortName.get(0)) : Optional.empty();
  }

  /** The name to write for a branch: its short name, or its full name if another branch shares the short one. */
  static String nameOf(Schema union, Schema branch) {
    long sameShortName = union.getTypes().stream()
        .filter(other -> other.getName().equals(branch.getName()))
        .count();
    return sameShortName == 1 ? branch.getName() : branch.getFullName();
  }

  /** The names of the non-null branches, for error messages. */
  static List<String> names(Schema union) {
    return nonNull(union).stream().map(branch -> nameOf(union, branch)).toList();
  }
}
