package dev.kos.bus.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which principals hold which grants, as the components that carry out commands (the frameworks and the allocator)
 * know them. Read from a file of lines {@code PRINCIPAL GRANTS [HASH]}: the API's token file is one (its hashes are
 * ignored here), so the API and the components behind it decide from the same table; a principal on several lines
 * holds the grants of all of them. Without a file ({@link #OPEN}) every command is allowed, as before there was one.
 */
public record AccessPolicy(Map<String, Principal> principals, boolean open) {

  public static final AccessPolicy OPEN = new AccessPolicy(Map.of(), true);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]+");

  public AccessPolicy {
    principals = Map.copyOf(principals);
  }

  /** The named principal with its grants, if the policy knows it. */
  public Optional<Principal> principal(String name) {
    return Optional.ofNullable(principals.get(name));
  }

  /**
   * One principal and its grants, as a token or policy line writes them ({@code alice web:operate,@all:view}).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Principal principal(String name, String grants) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("principal '" + name + "' may hold only letters, digits and ._@-");
    }
    List<Grant> parsed = new ArrayList<>();
    for (String grant : grants.split(",")) {
      parsed.add(Grant.parse(grant));
    }
    return new Principal(name, parsed);
  }

  /**
   * Reads the lines of a policy (or token) file; blank lines and lines starting with {@code #} are skipped.
   *
   * @param source the file's name, for the messages
   * @throws IllegalArgumentException naming each bad line and what is wrong with it
   */
  public static AccessPolicy parse(String source, List<String> lines) {
    Map<String, Set<Grant>> grants = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      try {
        if (fields.length != 2 && fields.length != 3) {
          throw new IllegalArgumentException("expected PRINCIPAL GRANTS (and, in a token file, the token's hash);"
              + " found " + fields.length + " fields");
        }
        Principal principal = principal(fields[0], fields[1]);
        grants.computeIfAbsent(principal.name(), name -> new LinkedHashSet<>()).addAll(principal.grants());
      } catch (IllegalArgumentException e) {
        problems.add(source + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    Map<String, Principal> principals = new LinkedHashMap<>();
    grants.forEach((name, held) -> principals.put(name, new Principal(name, List.copyOf(held))));
    return new AccessPolicy(principals, false);
  }

  /** The policy in {@code file}, or {@link #OPEN} without one. */
  public static AccessPolicy read(Optional<Path> file) {
    if (file.isEmpty()) {
      return OPEN;
    }
    try {
      return parse(file.get().toString(), Files.readAllLines(file.get()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the access policy " + file.get() + ": " + e.getMessage(), e);
    }
  }
}
