package dev.kos.cli.task;

import dev.kos.bus.catalog.Topics;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import dev.kos.bus.client.CompactedTopic;
import dev.kos.cli.results.JsonListing;
import dev.kos.schema.TaskStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos task list [--app ID]}. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List the tasks with their latest state.",
        "STATE carries the health when the task is health-checked, AGE is how long the",
        "task has been in that state, MESSAGE is what the agent said about it."})
public final class TaskListCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Option(names = "--app", paramLabel = "ID", description = "Only the tasks of this app")
  String appId;

  @Option(names = "--json", description = "One JSON array of the tasks' latest TaskStatus records")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CompactedTopic.Latest<TaskStatus> latest = CompactedTopic.read(bus.connect(), Topics.TASKS);
    latest.warnIfIncomplete(spec.commandLine().getErr());
    List<TaskStatus> tasks = latest.byKey().values().stream()
        .filter(task -> appId == null || appId.equals(task.getAppId())).toList();
    if (json) {
      JsonListing.printArray(out, tasks);
    } else if (tasks.isEmpty()) {
      out.println(appId == null ? "no tasks yet" : "no tasks of app " + appId + "; `kos app list` shows the apps");
    } else {
      Instant now = Instant.now();
      Table table = new Table(TaskView.LIST_HEADER);
      tasks.forEach(task -> table.row(TaskView.listRow(task, now)));
      table.print(out);
    }
    out.flush();
    return 0;
  }
}
