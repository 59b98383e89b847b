package dev.kos.agent.testing;

/** A JVM task's main: says which user runs it, to show a task user can run the agent's classpath. */
public final class WhoAmIMain {
  private WhoAmIMain() {
  }

  public static void main(String[] args) {
    System.out.println("a JVM as " + System.getProperty("user.name"));
  }
}
