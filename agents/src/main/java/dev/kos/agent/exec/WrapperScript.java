package dev.kos.agent.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiny shell script every task runs under. It joins the task's cgroup (when the agent made
 * one) before the task can fork, so no child escapes the limits; runs the task as its child; and
 * records the exit code in the sandbox, so that an agent that restarted and is no longer the
 * task's parent can still learn how it ended. Written into each sandbox, so a task recovered by a
 * newer agent keeps the wrapper it started with.
 *
 * <p>Started under {@code setsid} where the host has it: the task gets its own session and process
 * group, so a Ctrl-C or a service stop aimed at the agent does not reach it, and the agent can
 * kill the whole group, children that re-parented themselves included.
 */
final class WrapperScript {
  static final int CANNOT_JOIN_CGROUP = 125;
  private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

  private static final String SCRIPT = """
      #!/bin/sh
      # kos task wrapper: $1 = exit code file, $2 = cgroup.procs to join or "", rest = the task.
      exit_file=$1
      cgroup_procs=$2
      shift 2
      if [ -n "$cgroup_procs" ] && ! echo $$ > "$cgroup_procs"; then
        echo "kos: cannot join cgroup $cgroup_procs" >&2
        code=%d
      else
        "$@"
        code=$?
      fi
      echo "$code" > "$exit_file.tmp" && mv "$exit_file.tmp" "$exit_file"
      exit "$code"
      """.formatted(CANNOT_JOIN_CGROUP);

  private WrapperScript() {
  }

  static void writeInto(Sandbox sandbox) throws IOException {
    Files.writeString(sandbox.wrapper(), SCRIPT);
  }

  /** The command line that runs {@code task} under the wrapper. */
  static List<String> commandLine(Sandbox sandbox, String cgroupProcs, List<String> task) {
    List<String> line = new ArrayList<>();
    SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(setsid -> line.add(setsid.toString()));
    line.addAll(List.of("/bin/sh", sandbox.wrapper().toString(),
        sandbox.exitCodeFile().toString(), cgroupProcs == null ? "" : cgroupProcs));
    line.addAll(task);
    return line;
  }
}
