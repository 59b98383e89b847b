package dev.kos.agent.exec;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which host user a task runs as (pure: no user database, no file system). A task that names a user runs as that
 * user; one that names none runs as the agent's default task user, the {@code --task-user} setting:
 * <ul>
 *   <li>{@value #AGENT}: as the agent's own user (what every agent did before the setting existed);</li>
 *   <li>{@value #AUTO}: {@value #UNPRIVILEGED} when the agent runs as root, else the agent's own user (an agent that
 *       is not root cannot switch users);</li>
 *   <li>a user name: that user; only an agent running as root (or as that very user) can.</li>
 * </ul>
 * Running "as the agent's user" means no switch at all (no {@code setpriv}); a task that names the agent's own user
 * runs so too. A non-root agent refuses a task that names another user, with the reason, instead of letting
 * {@code setpriv} fail.
 *
 * @param agentUser the user the agent runs as
 * @param agentIsRoot whether that user can switch to others
 * @param defaultUser the user tasks that name none run as; empty: the agent's own
 */
public record TaskUsers(String agentUser, boolean agentIsRoot, Optional<String> defaultUser) {

  /** The attribute an agent advertises the user of its tasks that name none by: {@code kos.task-user=nobody}. */
  public static final String ATTRIBUTE = "kos.task-user";
  /** The setting's value for "as the agent's own user". */
  public static final String AGENT = "agent";
  /** The setting's value for "unprivileged where the agent can switch users". */
  public static final String AUTO = "auto";
  /** The user {@value #AUTO} picks on a root agent. */
  public static final String UNPRIVILEGED = "nobody";
  /**
   * The setting's default. Not yet {@value #AUTO}: the Spark driver and executors run the analytics job's classpath,
   * which {@link ClasspathMirror} does not cover and which may sit where only root may enter (/root on CI), and the
   * whole suite has not run with it (docs/decisions/0022-tasks-run-unprivileged.md).
   */
  public static final String DEFAULT_SETTING = AGENT;
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");

  public TaskUsers {
    if (agentUser == null || agentUser.isBlank()) {
      throw new IllegalArgumentException("the agent's user is unknown");
    }
    defaultUser = defaultUser.filter(user -> !user.equals(agentUser));
  }

  /**
   * The policy for the {@code --task-user} setting on an agent running as {@code agentUser}, or why there can be
   * none (an {@link IllegalArgumentException} whose message is one line for the operator).
   */
  public static TaskUsers of(String setting, String agentUser, boolean agentIsRoot) {
    String value = setting == null || setting.isBlank() ? DEFAULT_SETTING : setting.trim();
    if (value.equals(AGENT)) {
      return new TaskUsers(agentUser, agentIsRoot, Optional.empty());
    }
    if (value.equals(AUTO)) {
      return new TaskUsers(agentUser, agentIsRoot, agentIsRoot ? Optional.of(UNPRIVILEGED) : Optional.empty());
    }
    if (!USER_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException("--task-user \"" + value + "\" is not a user name; give one, or "
          + AUTO + " or " + AGENT);
    }
    if (!agentIsRoot && !value.equals(agentUser)) {
      throw new IllegalArgumentException("--task-user " + value + ": this agent runs as " + agentUser
          + ", not root, and cannot run tasks as another user; run it as root, or use --task-user " + AGENT);
    }
    return new TaskUsers(agentUser, agentIsRoot, Optional.of(value));
  }

  /**
   * The user a process task runs as: empty for the agent's own (no switch), else the user to switch to.
   *
   * @param named the task's own {@code user}, or null
   * @throws IllegalArgumentException the task names another user than the agent's and the agent cannot switch
   */
  public Optional<String> processUser(String named) {
    if (named == null || named.isBlank()) {
      return defaultUser;
    }
    if (named.equals(agentUser)) {
      return Optional.empty();
    }
    if (!agentIsRoot) {
      throw new IllegalArgumentException("the task names the user " + named + ", but this agent runs as "
          + agentUser + ", not root, and cannot switch users");
    }
    return Optional.of(named);
  }

  /** Whether tasks that name no user run as another user than the agent's. */
  public boolean switches() {
    return defaultUser.isPresent();
  }

  /** The user tasks that name none run as, by name: what the agent advertises ({@code kos.task-user}). */
  public String defaultUserName() {
    return defaultUser.orElse(agentUser);
  }

  /**
   * The user a container task whose image names none runs as in the container: the default task user (by the
   * uid and gid it has on this host), or empty for the container's root, as when tasks run as the agent's root.
   */
  public Optional<String> containerUser() {
    return defaultUser;
  }
}
