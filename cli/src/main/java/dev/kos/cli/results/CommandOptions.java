package dev.kos.cli.results;

import dev.kos.bus.client.Answerer;
import dev.kos.bus.client.CommandOutcome;
import dev.kos.bus.client.CommandSender;
import dev.kos.bus.client.Commands;
import dev.kos.cli.common.ApiClient;
import dev.kos.cli.common.ApiOptions;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.DurationConverter;
import dev.kos.cli.common.FromEnvironment;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options of every command that sends a command on the bus, and the sending itself. */
public final class CommandOptions {

  @FromEnvironment
  @Option(names = "--principal", paramLabel = "NAME", defaultValue = "${sys:user.name}",
      description = "Who sends the command, checked against the tenant policy (env KOS_PRINCIPAL; default: "
          + "your user name, ${DEFAULT-VALUE})")
  String principal;

  @FromEnvironment
  @Option(names = "--role", paramLabel = "ROLE", defaultValue = "*",
      description = "The role the command acts in (env KOS_ROLE; default: ${DEFAULT-VALUE})")
  String role;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long to wait for the answer on kos.command-results; exit code 3 when none came "
          + "(default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--no-wait", description = "Publish the command and exit without waiting for its answer")
  boolean noWait;

  @Mixin
  ApiOptions api;

  /**
   * Sends a command with this payload and prints what became of it.
   *
   * @return the exit code: 0 accepted (or sent, with --no-wait), 1 rejected, 3 no answer in time
   */
  public int send(BusOptions bus, CommandSpec spec, Object payload, Answerer answerer) {
    Optional<ApiClient> client = api.client();
    if (client.isPresent()) {
      // The API sends it as the token's principal and words the outcome as below.
      ApiClient.Sent sent = client.get().command((SpecificRecord) payload, role, timeout, !noWait);
      PrintWriter stream = sent.exitCode() != 0 ? spec.commandLine().getErr() : spec.commandLine().getOut();
      stream.println((sent.exitCode() != 0 ? "kos: " : "") + sent.message());
      stream.flush();
      return sent.exitCode();
    }
    CommandOutcome outcome = CommandSender.send(bus.connect(), Commands.of(principal, role, payload,
        Clock.systemUTC()), timeout, !noWait, answerer);
    PrintWriter stream = outcome.failed() ? spec.commandLine().getErr() : spec.commandLine().getOut();
    stream.println((outcome.failed() ? "kos: " : "") + outcome.describe());
    stream.flush();
    return outcome.exitCode();
  }
}
