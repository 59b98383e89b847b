package dev.kos.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens: 32 random bytes, written {@code kos_} and base64url. The token file keeps only their SHA-256, so a
 * copy of the file lets nobody in; a token has enough entropy that a salt or a slow hash would add nothing.
 */
public final class Tokens {

  public static final String HASH_PREFIX = "sha256:";
  private static final String TOKEN_PREFIX = "kos_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {
  }

  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {@code sha256:} and the hex of the token's SHA-256, as the token file writes it. */
  public static String hash(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HASH_PREFIX + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** The token file's line for a principal with these grants and this token. */
  public static String line(String principal, String grants, String token) {
    return principal + " " + grants + " " + hash(token);
  }
}
