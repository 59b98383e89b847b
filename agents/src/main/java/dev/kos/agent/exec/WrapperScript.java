package dev.kos.agent.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 *
 * <p>With a {@link TaskLease}, a watchdog beside the task kills every process of the task (its
 * cgroup's, then its process group) once the agent has not renewed its lease file for longer than
 * the lease, and marks the sandbox so that the agent, when it is back, reports why. A container task's
 * {@code runc run} runs under it too: its watchdog kills the container through runc, whose processes are in
 * a cgroup and namespaces of their own.
 */
final class WrapperScript {
  static final int CANNOT_JOIN_CGROUP = 125;
  private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

  private static final String SCRIPT = """
      #!/bin/sh
      # kos task wrapper: $1 = exit code file, $2 = cgroup.procs to join or "", $3 = the agent's lease file or ""
      # (no lease), $4 = the lease in seconds, $5 = file to mark a lease expiry in, $6 = the agent's id,
      # $7 = 1 when this wrapper leads its own process group (setsid), $8 = a command that kills what the task runs
      # outside this wrapper's cgroup and group (a container's processes: runc kill) or "", rest = the task.
      exit_file=$1
      cgroup_procs=$2
      lease_file=$3
      lease_seconds=$4
      lease_marker=$5
      agent_id=$6
      own_group=$7
      kill_outside=$8
      shift 8
      # The lease watchdog: when the agent stops renewing its lease (it died or froze), kill the whole task
      # before the allocator declares the agent lost and a framework starts the task's replacement.
      # It ignores the signals a graceful kill sends the task, and leaves on USR1 from this wrapper
      # (taking its sleep along, so nothing of the task outlives it) or when this wrapper is gone.
      watch_lease() {
        trap '' TERM INT HUP
        trap 'kill -KILL $! 2>/dev/null; exit 0' USR1
        read -r self _ < /proc/self/stat
        while :; do
          sleep 1 &
          wait $!
          kill -0 $$ 2>/dev/null || exit 0
          renewed=$(stat -c %%Y "$lease_file" 2>/dev/null) || renewed=0
          age=$(( $(date +%%s) - renewed ))
          [ "$age" -gt "$lease_seconds" ] || continue
          if [ "$renewed" -eq 0 ]; then
            age="more than $lease_seconds"
          fi
          why="agent $agent_id stopped renewing its lease for ${age}s"
          echo "$why; the task was killed so that it never runs twice" > "$lease_marker"
          echo "kos: $why; killing the task so that it never runs twice" >&2
          if [ -n "$kill_outside" ]; then
            sh -c "$kill_outside" >&2
          fi
          if [ -n "$cgroup_procs" ]; then
            for round in 1 2 3 4 5; do
              others=0
              while read -r pid; do
                [ "$pid" = "$self" ] && continue
                others=1
                kill -KILL "$pid" 2>/dev/null
              done < "$cgroup_procs"
              [ "$others" -eq 0 ] && break
            done
          fi
          [ "$own_group" = 1 ] && kill -KILL -- -$$ 2>/dev/null
          kill -KILL $$ 2>/dev/null
          exit 0
        done
      }
      if [ -n "$cgroup_procs" ] && ! echo $$ > "$cgroup_procs"; then
        echo "kos: cannot join cgroup $cgroup_procs" >&2
        code=%d
      else
        watchdog=
        if [ -n "$lease_file" ]; then
          watch_lease &
          watchdog=$!
        fi
        "$@"
        code=$?
        if [ -n "$watchdog" ]; then
          kill -USR1 "$watchdog" 2>/dev/null
          wait "$watchdog" 2>/dev/null
        fi
      fi
      echo "$code" > "$exit_file.tmp" && mv "$exit_file.tmp" "$exit_file"
      exit "$code"
      """.formatted(CANNOT_JOIN_CGROUP);

  private WrapperScript() {
  }

  static void writeInto(Sandbox sandbox) throws IOException {
    Files.writeString(sandbox.wrapper(), SCRIPT);
  }

  /**
   * The command line that runs {@code task} under the wrapper; {@code leaseFile} is null, or the
   * lease off, for a task that outlives its agent however long it is gone.
   */
  static List<String> commandLine(Sandbox sandbox, String cgroupProcs, String agentId, Path leaseFile,
      TaskLease lease, List<String> task) {
    return commandLine(sandbox, cgroupProcs, agentId, leaseFile, lease, List.of(), task);
  }

  /**
   * As above, for a task whose processes live outside the wrapper's cgroup and process group (a container's, in
   * namespaces and a cgroup of runc's): {@code killOutside} is the command that kills them when the lease lapses.
   */
  static List<String> commandLine(Sandbox sandbox, String cgroupProcs, String agentId, Path leaseFile,
      TaskLease lease, List<String> killOutside, List<String> task) {
    List<String> line = new ArrayList<>();
    Optional<Path> setsid = SETSID.stream().filter(Files::isExecutable).findFirst();
    setsid.ifPresent(path -> line.add(path.toString()));
    boolean leased = leaseFile != null && lease.enabled();
    line.addAll(List.of("/bin/sh", sandbox.wrapper().toString(),
        sandbox.exitCodeFile().toString(), cgroupProcs == null ? "" : cgroupProcs,
        leased ? leaseFile.toAbsolutePath().toString() : "", Long.toString(lease.seconds()),
        sandbox.leaseExpiredFile().toString(), agentId, setsid.isPresent() ? "1" : "0",
        String.join(" ", killOutside.stream().map(WrapperScript::quoted).toList())));
    line.addAll(task);
    return line;
  }

  /** {@code word} as one word of a shell command line, whatever it holds. */
  static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /**
   * Whether the sandbox's wrapper watches a lease: a task started by an agent from before the lease
   * runs under the wrapper it started with, which does not, and outlives its agent as before.
   */
  static boolean watchesLease(Sandbox sandbox) {
    try {
      return Files.readString(sandbox.wrapper()).contains("watch_lease");
    } catch (IOException e) {
      return false;
    }
  }
}
