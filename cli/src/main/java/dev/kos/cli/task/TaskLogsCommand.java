package dev.kos.cli.task;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.KeyPartitioner;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.serde.MalformedRecordException;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.UsageProblem;
import dev.kos.bus.client.TopicReader;
import dev.kos.schema.LogLine;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kos task logs ID}. Log lines are keyed by task id, so only the partition of that key is read:
 * the cost grows with the traffic of one partition, not of the whole cluster.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = {"Print a task's output.",
        "stdout and stderr in order, kos's own lines marked [kos]; kos.logs keeps a day.",
        "Exit code 1 when the task has no output and --follow is not given."})
public final class TaskLogsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Parameters(index = "0", paramLabel = "ID", description = "The task's id (kos task list shows them)")
  String taskId;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they come, until Ctrl-C")
  boolean follow;

  @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines of what is there (default: all)")
  Integer tail;

  @Override
  public Integer call() {
    if (tail != null && tail < 0) {
      throw new UsageProblem("--tail N takes 0 or more lines; was " + tail);
    }
    PrintWriter out = spec.commandLine().getOut();
    ControlBus controlBus = bus.connect();
    Deque<String> history = new ArrayDeque<>();
    try (TopicReader reader = new TopicReader(controlBus, "kos-cli-logs")) {
      int partitions = reader.partitionsOf(Topics.LOGS).size();
      reader.fromBeginning(List.of(new TopicPartition(controlBus.topic(Topics.LOGS),
          KeyPartitioner.partitionOf(taskId, partitions))));
      reader.readToEnd(linesOf(reader, line -> {
        history.addLast(line);
        if (tail != null && history.size() > tail) {
          history.removeFirst();
        }
      }));
      history.forEach(out::println);
      out.flush();
      if (follow) {
        reader.follow(linesOf(reader, line -> {
          out.println(line);
          out.flush();
        }));
      } else if (history.isEmpty()) {
        spec.commandLine().getErr().println("kos: no output of task " + taskId + " in " + controlBus.topic(Topics.LOGS)
            + "; `kos task list` shows the tasks (output is kept for a day)");
        return 1;
      }
    }
    return 0;
  }

  /** The task's lines among its partition's records, which other tasks share; broken records are passed over. */
  private Consumer<ConsumerRecord<byte[], byte[]>> linesOf(TopicReader reader, Consumer<String> sink) {
    return record -> {
      if (!taskId.equals(TopicReader.keyOf(record)) || record.value() == null) {
        return;
      }
      try {
        LogLine line = reader.decode(Topics.LOGS, record);
        sink.accept(TaskView.logLine(line));
      } catch (MalformedRecordException e) {
        sink.accept("[kos] a log line that does not decode was passed over: " + e.getMessage());
      }
    };
  }
}
