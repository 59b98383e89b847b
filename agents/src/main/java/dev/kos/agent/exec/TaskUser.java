package dev.kos.agent.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host user a process task runs as, when its command names one: the agent (root) prepares the sandbox, then
 * {@code setpriv} drops the task to the user's uid, gid and groups. Such a task cannot read what only the agent's
 * user may (its checkpoints, an owner-only client config with the bus credentials) nor other users' sandboxes.
 */
public record TaskUser(String name, int uid, int gid) {

  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  /** The user as the host's user database ({@code getent passwd}) knows it, or why it cannot be used. */
  public static TaskUser lookup(String name) throws IOException {
    if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}")) {
      throw new IOException("\"" + name + "\" is not a user name");
    }
    if (!Files.isExecutable(SETPRIV)) {
      throw new IOException("this agent cannot run a task as another user: " + SETPRIV + " (util-linux) is missing");
    }
    Process getent = new ProcessBuilder("getent", "passwd", name).redirectErrorStream(true).start();
    String line = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (!getent.waitFor(10, TimeUnit.SECONDS) || getent.exitValue() != 0 || line.isEmpty()) {
        throw new IOException("user " + name + " does not exist on this agent's host");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while looking up user " + name, e);
    }
    return fromPasswd(line);
  }

  /** A {@code passwd} line: {@code name:x:uid:gid:gecos:home:shell}. */
  static TaskUser fromPasswd(String line) {
    String[] fields = line.split(":", -1);
    if (fields.length < 4) {
      throw new IllegalArgumentException("not a passwd line: " + line);
    }
    return new TaskUser(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
  }

  /** {@code task} run as this user. */
  List<String> commandLine(List<String> task) {
    List<String> line = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + uid, "--regid=" + gid,
        "--init-groups", "--"));
    line.addAll(task);
    return line;
  }

  /** Gives {@code path} to this user, so that the task can write it. */
  void own(Path path) throws IOException {
    Files.setAttribute(path, "unix:uid", uid);
    Files.setAttribute(path, "unix:gid", gid);
  }
}
