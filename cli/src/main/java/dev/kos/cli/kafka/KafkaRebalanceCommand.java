package dev.kos.cli.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import dev.kos.cli.common.UsageProblem;
import dev.kos.cli.results.JsonListing;
import dev.kos.frameworks.kafka.KafkaFrameworkSettings;
import dev.kos.frameworks.kafka.core.GoalBalancer;
import dev.kos.frameworks.kafka.core.GoalBalancer.GoalState;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.PartitionId;
import dev.kos.frameworks.kafka.core.Rebalancing;
import dev.kos.schema.RebalanceKafkaCluster;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka rebalance NAME --dry-run}: what the goal-based rebalance would move, and why. */
@Command(name = "rebalance", mixinStandardHelpOptions = true,
    description = {"Propose a goal-based rebalance of a cluster's partitions.",
        "Goals in priority order: replicas spread over zones (at most ceil(replicas / zones) in one), each "
            + "broker's disk under 80 % of its volume, network in and out under 80 % of a capacity given here, "
            + "replicas per broker within one of each other, preferred leaders per broker within one. Reads the "
            + "assignment and partition sizes from the cluster's Admin API and prints the moves, the bytes to "
            + "copy, the time at the throttle and every goal before and after (--dry-run). Without --dry-run the "
            + "kafka framework moves the partitions, throttled, with the same planner it uses after `broker add` "
            + "and `remove` (REASSIGNMENT_* on kos.status, `kos kafka describe`); it refuses while partitions move "
            + "or brokers restart for a config change or an upgrade."})
public final class KafkaRebalanceCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
  String name;

  @Mixin
  KafkaCommandOptions command;

  @Option(names = "--dry-run", description = "Only print the proposal, computed here; nothing moves")
  boolean dryRun;

  @Option(names = "--throttle", paramLabel = "BYTES/S", description = "The replication throttle the time is "
      + "estimated at (default: the framework's, ${DEFAULT-VALUE})", defaultValue = "10485760")
  long throttle = KafkaFrameworkSettings.DEFAULT_THROTTLE;

  @Option(names = "--json", description = "With --dry-run: one JSON object: moves, bytesToMove, seconds, goals "
      + "before and after; without: the framework's answer as its CommandResult")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    if (!dryRun) {
      return command.send(bus, spec, new RebalanceKafkaCluster(name), json);
    }
    if (throttle <= 0) {
      throw new UsageProblem("--throttle is bytes per second, more than 0; was " + throttle);
    }
    KafkaCluster cluster = KafkaStatus.read(bus.connect(), name, spec.commandLine().getErr()).cluster();
    GoalBalancer.Proposal proposal;
    Map<PartitionId, List<Integer>> assignment;
    try (ClusterReads reads = ClusterReads.open(cluster)) {
      assignment = reads.assignment();
      proposal = GoalBalancer.propose(Rebalancing.input(cluster, assignment, reads.partitionBytes()));
    } catch (IllegalArgumentException e) {
      throw new UsageProblem("no rebalance of " + name + " is possible: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonListing.print(out, json(proposal, assignment));
      return 0;
    }
    out.printf("%s: %d partitions move (%d replicas copied, %d preferred leaders change), %d bytes, about %d s "
        + "at %d bytes/s%n", name, proposal.moves().size(), proposal.replicaMoves(), proposal.leaderMoves(),
        proposal.bytesToMove(), proposal.timeAt(throttle).toSeconds(), throttle);
    Table goals = new Table("GOAL", "BEFORE", "AFTER");
    for (int i = 0; i < proposal.before().size(); i++) {
      GoalState before = proposal.before().get(i);
      GoalState after = proposal.after().get(i);
      goals.row(before.goal().name(), (before.met() ? "met: " : "NOT met: ") + before.detail(),
          (after.met() ? "met: " : "NOT met: ") + after.detail());
    }
    goals.print(out);
    if (!proposal.moves().isEmpty()) {
      Table moves = new Table("PARTITION", "REPLICAS NOW", "PROPOSED");
      proposal.moves().forEach((p, next) -> moves.row(p.toString(), assignment.get(p).toString(), next.toString()));
      moves.print(out);
    }
    out.flush();
    return 0;
  }

  private ObjectNode json(GoalBalancer.Proposal proposal, Map<PartitionId, List<Integer>> assignment) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode().put("cluster", name).put("bytesToMove", proposal.bytesToMove())
        .put("replicaMoves", proposal.replicaMoves()).put("leaderMoves", proposal.leaderMoves())
        .put("throttleBytesPerSecond", throttle).put("seconds", proposal.timeAt(throttle).toSeconds());
    ArrayNode moves = root.putArray("moves");
    proposal.moves().forEach((p, next) -> {
      ObjectNode move = moves.addObject().put("topic", p.topic()).put("partition", p.partition());
      assignment.get(p).forEach(move.putArray("from")::add);
      next.forEach(move.putArray("to")::add);
    });
    goals(root.putArray("before"), proposal.before());
    goals(root.putArray("after"), proposal.after());
    return root;
  }

  private static void goals(ArrayNode array, List<GoalState> states) {
    states.forEach(s -> array.addObject().put("goal", s.goal().name()).put("met", s.met()).put("detail", s.detail()));
  }
}
