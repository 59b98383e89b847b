package dev.kos.bus.client;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.serde.MalformedRecordException;
import dev.kos.schema.CommandResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers on kos.command-results for a long-running client that sends many commands (the API server): one
 * reader follows every partition from the end it had when it started, and hands each answer to whoever expects
 * that command id. A command's answer is expected before the command is published, so it cannot be missed. (The
 * {@code kos} command, which sends one command and exits, reads only its answer's partition instead:
 * {@link CommandSender#send(ControlBus, dev.kos.schema.Command, Duration, boolean, Answerer)}.)
 */
public final class CommandAnswers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CommandAnswers.class);

  private final ControlBus bus;
  private final Map<String, CompletableFuture<CommandResult>> expected = new ConcurrentHashMap<>();
  private FollowerThread follower;

  private CommandAnswers(ControlBus bus) {
    this.bus = bus;
  }

  /** Starts following; {@link #awaitPositioned} waits until answers from then on are seen. */
  public static CommandAnswers start(ControlBus bus) {
    CommandAnswers answers = new CommandAnswers(bus);
    answers.follower = FollowerThread.start("kos-command-answers", answers::run);
    return answers;
  }

  public boolean awaitPositioned(Duration timeout) throws InterruptedException {
    return follower.awaitReady(timeout);
  }

  /** The answer to this command, once it comes; call before publishing it, and {@link #forget} when done. */
  public CompletableFuture<CommandResult> expect(String commandId) {
    return expected.computeIfAbsent(commandId, id -> new CompletableFuture<>());
  }

  public void forget(String commandId) {
    expected.remove(commandId);
  }

  private void run(Runnable positioned) {
    try (TopicReader reader = new TopicReader(bus, "kos-command-answers")) {
      reader.fromEndNow(reader.partitionsOf(Topics.COMMAND_RESULTS));
      positioned.run();
      reader.follow(record -> {
        CompletableFuture<CommandResult> waiting = record.value() == null ? null
            : expected.get(TopicReader.keyOf(record));
        if (waiting != null) {
          try {
            waiting.complete(reader.decode(Topics.COMMAND_RESULTS, record));
          } catch (MalformedRecordException e) {
            // Someone else's broken answer under our key: keep waiting for the real one.
          }
        }
      });
    } catch (RuntimeException e) {
      log.error("stopped following {}: commands sent from now on go unanswered", bus.topic(Topics.COMMAND_RESULTS), e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    follower.close();
  }
}
