package dev.kos.bus.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A secured embedded broker for tests and docs: SASL/PLAIN users with fixed passwords on the
 * broker listener, and ACLs enforced by KRaft's {@code StandardAuthorizer}, with one super user
 * who may grant them. Apply it with {@link #applyTo}; clients connect with {@link #clientConfig}.
 *
 * <p>The KRaft controller listener stays PLAINTEXT, so the node's broker and controller halves
 * register with the controller as {@code User:ANONYMOUS}. Registration needs CLUSTER_ACTION, and
 * a fresh cluster has no ACL to grant it, so {@code User:ANONYMOUS} is a super user too; without
 * it the broker never registers and never answers. The controller port listens on loopback only,
 * but any local process that talks to it directly (an Admin client with
 * {@code bootstrap.controllers}) gets a super user's rights: this setup protects the bus from
 * clients with missing or wrong credentials, not from a hostile local user.
 */
public final class SaslPlainSetup {

  private static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
  private static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
  /** The principal of every connection on a PLAINTEXT listener, here the node's own controller connections. */
  private static final String CONTROLLER_CONNECTION_PRINCIPAL = "User:ANONYMOUS";
  /**
   * Names go unquoted into JAAS option names ({@code user_<name>}) and into the
   * semicolon-separated {@code super.users}, so they stay within JAAS word characters.
   */
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
  /** Passwords go between double quotes in a JAAS value, where a quote or backslash would end or escape. */
  private static final Pattern PASSWORD = Pattern.compile("[^\"\\\\\\r\\n]+");

  private final SortedMap<String, String> passwords;
  private final String superUser;

  private SaslPlainSetup(SortedMap<String, String> passwords, String superUser) {
    this.passwords = passwords;
    this.superUser = superUser;
  }

  /**
   * @param passwords each user's password; the broker accepts exactly these users
   * @param superUser one of them, allowed everything without ACLs; the broker authenticates as
   *     this user when it connects to its own listener
   */
  public static SaslPlainSetup of(Map<String, String> passwords, String superUser) {
    Objects.requireNonNull(superUser, "superUser");
    passwords.forEach(SaslPlainSetup::requireValidCredentials);
    if (!passwords.containsKey(superUser)) {
      throw new IllegalArgumentException("super user " + superUser + " has no password; users are " + passwords.keySet());
    }
    return new SaslPlainSetup(new TreeMap<>(passwords), superUser);
  }

  /** The server settings that turn the broker listener into SASL_PLAINTEXT with ACLs. */
  public Map<String, String> serverOverrides() {
    Map<String, String> overrides = new LinkedHashMap<>();
    // The listener keeps its name PLAINTEXT (kos's bootstrap address names it); its protocol changes.
    overrides.put("listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
    overrides.put("sasl.enabled.mechanisms", "PLAIN");
    overrides.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    // username/password are the broker's own client side on its inter-broker listener; the
    // user_ entries are the accounts the listener accepts.
    overrides.put("listener.name.plaintext.plain.sasl.jaas.config", brokerJaasConfig());
    overrides.put("authorizer.class.name", STANDARD_AUTHORIZER);
    overrides.put("super.users", "User:" + superUser + ";" + CONTROLLER_CONNECTION_PRINCIPAL);
    overrides.put("allow.everyone.if.no.acl.found", "false");
    return overrides;
  }

  /** What a client adds to its bootstrap address to connect as {@code user}. */
  public Map<String, String> clientConfig(String user) {
    String password = passwords.get(user);
    if (password == null) {
      throw new IllegalArgumentException("unknown user " + user + "; users are " + passwords.keySet());
    }
    return Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", PLAIN_LOGIN_MODULE + " required " + credentials(user, password) + ";");
  }

  /** {@code settings} with this setup's server overrides, and the super user for the launcher's own clients. */
  public EmbeddedKafkaSettings applyTo(EmbeddedKafkaSettings settings) {
    return settings.withServerOverrides(serverOverrides()).withClientConfig(clientConfig(superUser));
  }

  private String brokerJaasConfig() {
    String accounts = passwords.entrySet().stream()
        .map(account -> "user_" + account.getKey() + "=\"" + account.getValue() + "\"")
        .collect(Collectors.joining(" "));
    return PLAIN_LOGIN_MODULE + " required " + credentials(superUser, passwords.get(superUser)) + " " + accounts + ";";
  }

  private static String credentials(String user, String password) {
    return "username=\"" + user + "\" password=\"" + password + "\"";
  }

  private static void requireValidCredentials(String user, String password) {
    if (!USER_NAME.matcher(user).matches()) {
      throw new IllegalArgumentException(
          "user name must be letters, digits, '_', '.' or '-' and start with a letter, was: " + user);
    }
    if (password == null || !PASSWORD.matcher(password).matches()) {
      throw new IllegalArgumentException(
          "password of " + user + " must be non-empty, without quotes, backslashes or line breaks");
    }
  }
}
