package dev.kos.api.auth;

import dev.kos.bus.access.AccessPolicy;
import dev.kos.bus.access.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The principals the API knows, read from the token file: one line per token,
 * <pre>
 * # principal  grants (role:verb, comma-separated)  the token's hash
 * alice        web:operate,@all:view                 sha256:9f86d0...
 * ops          @all:admin                            sha256:60303a...
 * </pre>
 * Blank lines and lines starting with {@code #} are ignored. A principal may have several tokens (several lines).
 * Pure: the caller reads the file.
 */
public final class TokenFile {

  private static final Pattern HASH = Pattern.compile(Pattern.quote(Tokens.HASH_PREFIX) + "[0-9a-f]{64}");

  private final Map<String, Principal> byHash;

  private TokenFile(Map<String, Principal> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  /**
   * Reads the lines of a token file.
   *
   * @param source the file's name, for the messages
   * @throws IllegalArgumentException naming the line and what is wrong with it, for every bad line
   */
  public static TokenFile parse(String source, List<String> lines) {
    Map<String, Principal> byHash = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        String[] fields = line.split("\\s+");
        if (fields.length != 3) {
          throw new IllegalArgumentException("expected 3 fields, PRINCIPAL GRANTS sha256:HASH; found " + fields.length);
        }
        Principal principal = AccessPolicy.principal(fields[0], fields[1]);
        if (!HASH.matcher(fields[2]).matches()) {
          throw new IllegalArgumentException("the hash must be sha256: and 64 lower-case hex digits "
              + "(`kos api token` writes a line)");
        }
        if (byHash.putIfAbsent(fields[2], principal) != null) {
          throw new IllegalArgumentException("the same token hash is on an earlier line: one token, one principal");
        }
      } catch (IllegalArgumentException e) {
        problems.add(source + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return new TokenFile(byHash);
  }

  /**
   * The principal this bearer token belongs to, if it is in the file. Looked up by the token's hash: how long the
   * lookup takes depends on the hash of the guess, which says nothing about the tokens that exist.
   */
  public Optional<Principal> authenticate(String token) {
    return Optional.ofNullable(byHash.get(Tokens.hash(token)));
  }

  public int size() {
    return byHash.size();
  }
}
