package dev.kos.cli.kafka;

import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.DurationConverter;
import dev.kos.cli.common.FromEnvironment;
import dev.kos.bus.client.Answerer;
import dev.kos.bus.client.CommandOutcome;
import dev.kos.bus.client.CommandSender;
import dev.kos.bus.client.Commands;
import dev.kos.cli.results.Formats;
import dev.kos.cli.results.JsonListing;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options of the kafka commands that send a command, and the sending: answered by the kafka framework. */
public final class KafkaCommandOptions {

  @FromEnvironment
  @Option(names = "--principal", paramLabel = "NAME", defaultValue = "${sys:user.name}",
      description = "Who sends the command (env KOS_PRINCIPAL; default: your user name, ${DEFAULT-VALUE})")
  String principal;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long to wait for the answer on kos.command-results; exit code 3 when none came "
          + "(default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--no-wait", description = "Publish the command and exit without waiting for its answer")
  boolean noWait;

  /** @return 0 accepted (or sent, with --no-wait), 1 rejected, 3 no answer in time */
  int send(BusOptions bus, CommandSpec spec, Object payload) {
    return send(bus, spec, payload, false);
  }

  /** As {@link #send(BusOptions, CommandSpec, Object)}; {@code json}: an answer is printed as its CommandResult. */
  int send(BusOptions bus, CommandSpec spec, Object payload, boolean json) {
    CommandOutcome outcome = CommandSender.send(bus.connect(), Commands.of(principal, "*", payload,
        Clock.systemUTC()), timeout, !noWait, Answerer.APPS_FRAMEWORK);
    if (json && outcome instanceof CommandOutcome.Answered answered) {
      JsonListing.printOne(spec.commandLine().getOut(), answered.result());
      return outcome.exitCode();
    }
    String line = outcome instanceof CommandOutcome.Unanswered unanswered
        ? "no answer within " + Formats.duration(unanswered.waited()) + ": is the kafka framework running? "
            + "(`kos up` starts it; elsewhere `kos kafka framework` runs it) Command " + unanswered.commandId() + " stays on kos.commands"
        : outcome.describe();
    PrintWriter stream = outcome.failed() ? spec.commandLine().getErr() : spec.commandLine().getOut();
    stream.println((outcome.failed() ? "kos: " : "") + line);
    stream.flush();
    return outcome.exitCode();
  }
}
