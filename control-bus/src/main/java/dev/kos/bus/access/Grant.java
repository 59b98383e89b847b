package dev.kos.bus.access;

/**
 * One allowance of a principal: a verb in a role, written {@code role:verb}. The role {@value #ALL_ROLES} stands for
 * every role and for the cluster as a whole; any other role is literal ({@code *}, kos's default role, included).
 */
public record Grant(String role, Verb verb) {

  public static final String ALL_ROLES = "@all";

  /** Reads {@code role:verb}; the role is everything before the last colon. */
  public static Grant parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("a grant is ROLE:VERB (e.g. web:operate, @all:view); was '" + text + "'");
    }
    return new Grant(text.substring(0, colon), Verb.parse(text.substring(colon + 1)));
  }

  boolean coversRole(String wanted) {
    return role.equals(ALL_ROLES) || role.equals(wanted);
  }

  boolean coversCluster() {
    return role.equals(ALL_ROLES);
  }

  @Override
  public String toString() {
    return role + ":" + verb.word();
  }
}
