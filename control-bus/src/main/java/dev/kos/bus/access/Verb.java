package dev.kos.bus.access;

import java.util.Locale;

/**
 * What a principal may do, each verb including the ones before it: {@code view} reads the cluster's state,
 * {@code operate} commands apps, jobs and Kafka clusters in a role, {@code admin} commands the cluster itself
 * (draining agents).
 */
public enum Verb {
  VIEW, OPERATE, ADMIN;

  public boolean includes(Verb other) {
    return compareTo(other) >= 0;
  }

  /** The verb as written in the token file and in messages: lower case. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the verbs there are */
  public static Verb parse(String word) {
    for (Verb verb : values()) {
      if (verb.word().equals(word)) {
        return verb;
      }
    }
    throw new IllegalArgumentException("unknown verb '" + word + "' (view, operate or admin)");
  }
}
