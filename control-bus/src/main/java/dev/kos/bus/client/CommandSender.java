package dev.kos.bus.client;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.CommandTargets;
import dev.kos.bus.catalog.KeyPartitioner;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;

/**
 * Publishes a command on kos.commands, keyed by its target, and awaits its answer on
 * kos.command-results. The answer is keyed by the command id, so only that key's partition is read,
 * from the end offset taken before publishing: an answer cannot come before it is looked for.
 */
public final class CommandSender {

  private CommandSender() {
  }

  public static CommandOutcome send(ControlBus bus, Command command, Duration timeout, boolean await,
      Answerer answerer) {
    String commandId = command.getCommandId();
    try (TopicReader results = new TopicReader(bus, "kos-cli-wait");
        BusPublisher publisher = new BusPublisher(bus, "kos-cli")) {
      if (await) {
        int partitions = results.partitionsOf(Topics.COMMAND_RESULTS).size();
        results.fromEndNow(List.of(new TopicPartition(bus.topic(Topics.COMMAND_RESULTS),
            KeyPartitioner.partitionOf(commandId, partitions))));
      }
      publish(bus, publisher, command, timeout);
      if (!await) {
        return new CommandOutcome.Sent(commandId, bus.topic(Topics.COMMANDS));
      }
      return results.awaitKey(Topics.COMMAND_RESULTS, commandId, timeout)
          .<CommandOutcome>map(CommandOutcome.Answered::new)
          .orElseGet(() -> new CommandOutcome.Unanswered(commandId, timeout, answerer));
    }
  }

  /**
   * Publishes a command with a long-lived publisher and awaits its answer through a long-lived {@link CommandAnswers}:
   * a server's way, which sends many commands and should not open clients for each.
   */
  public static CommandOutcome send(ControlBus bus, BusPublisher publisher, CommandAnswers answers, Command command,
      Duration timeout, boolean await, Answerer answerer) {
    String commandId = command.getCommandId();
    CompletableFuture<CommandResult> answer = await ? answers.expect(commandId) : null;
    try {
      publish(bus, publisher, command, timeout);
      if (!await) {
        return new CommandOutcome.Sent(commandId, bus.topic(Topics.COMMANDS));
      }
      return new CommandOutcome.Answered(answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return new CommandOutcome.Unanswered(commandId, timeout, answerer);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the answer to " + commandId + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientProblem("interrupted while waiting for the answer to " + commandId);
    } finally {
      answers.forget(commandId);
    }
  }

  private static void publish(ControlBus bus, BusPublisher publisher, Command command, Duration timeout) {
    try {
      publisher.publish(Topics.COMMANDS, CommandTargets.targetOf(command), command)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ClientProblem("could not publish the command to " + bus.topic(Topics.COMMANDS) + " within "
          + DurationText.of(timeout) + " (" + (e.getCause() == null ? e : e.getCause()).getMessage()
          + "): is the Kafka cluster up?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientProblem("interrupted while publishing the command");
    }
  }
}
