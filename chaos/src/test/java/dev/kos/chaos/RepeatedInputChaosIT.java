package dev.kos.chaos;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.chaos.history.Checks;
import dev.kos.chaos.history.History;
import dev.kos.chaos.history.History.Launch;
import dev.kos.chaos.history.History.Status;
import dev.kos.chaos.history.Verdict;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.schema.Accept;
import dev.kos.schema.AcceptEvent;
import dev.kos.schema.Command;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.CommandResult;
import dev.kos.schema.DeployApp;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.KillInstance;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.Offer;
import dev.kos.schema.OfferEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input that arrives twice or late, on one kos of two agents shared by both cases (a kos costs ~20 s to start
 * on this 2-core machine; the second case uses a framework of its own and short tasks, and runs after the first,
 * whose app it leaves running undisturbed).
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RepeatedInputChaosIT {

  private static final String WEB = "/chaos/web";
  /** A framework of the case's own, registered by hand, which takes offers and answers them when it chooses. */
  private static final String LATE = "chaos-late";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;

  private static ChaosCluster shared;

  @AfterAll
  static void closeShared() {
    if (shared != null) {
      shared.close();
    }
  }

  private static ChaosCluster kos(String bootstrap) throws Exception {
    if (shared == null) {
      shared = new ChaosCluster(bootstrap, dir.resolve("kos")).startAll(2);
    }
    return shared;
  }

  /**
   * A copy of a committed Accept published again on kos.accepts (its bytes read back raw: same offer, same task
   * ids, same epoch), then a batch of commands the apps framework answered before published again with the same
   * command ids: a scale 3 -> 4, a kill of one instance that scales down (4 -> 3), a kill of another instance
   * (replaced). Delivered once more, the scale would bring the app back to 4 and the kill would kill the
   * replacement. Checks B (no task launched twice), C (one process per instance at every sample), D and W (at
   * quiescence 3 instances, the views agreeing), and R: each replayed command answered again as the first time,
   * the copied accept answered DROPPED, and no task of the app launched after the replay.
   */
  @Test
  @Order(1)
  @Timeout(240)
  void anAcceptPublishedTwiceAndAReplayedCommandBatch(@BootstrapServers String bootstrap) throws Exception {
    long started = System.currentTimeMillis();
    ChaosCluster kos = kos(bootstrap);
    answered(kos, new DeployApp(ChaosCluster.app(WEB, 3, 0.1)));
    await(kos, Map.of(WEB, 3));

    List<CommandResult> batch = new ArrayList<>();
    batch.add(answered(kos, new ScaleApp(WEB, 4)));
    List<String> instances = await(kos, Map.of(WEB, 4)).instances().stream()
        .filter(i -> i.appId().equals(WEB) && i.live()).map(i -> Instance.instanceIdOf(i.taskId())).sorted().toList();
    batch.add(answered(kos, new KillInstance(instances.get(0), true)));
    batch.add(answered(kos, new KillInstance(instances.get(1), false)));
    History before = await(kos, Map.of(WEB, 3));

    long replayedAt = System.currentTimeMillis();
    String duplicated = publishAnAcceptAgain(kos, before);
    Map<String, ConsumerRecord<String, byte[]>> commands = kos.committed(Topics.COMMANDS).stream()
        .filter(r -> r.value() != null).collect(Collectors.toMap(r -> decode(kos, r).getCommandId(), r -> r,
            (a, b) -> a));
    for (CommandResult first : batch) {
      ConsumerRecord<String, byte[]> record = commands.get(first.getCommandId());
      kos.publishRaw(Topics.COMMANDS, record.key(), record.value());
    }
    Map<String, List<CommandResult>> answers = awaitAnswers(kos, batch, Duration.ofSeconds(20));
    Optional<Status> dropped = awaitStatus(kos, duplicated, "DROPPED", replayedAt, Duration.ofSeconds(10));

    History settled = kos.awaitQuiescence(Map.of(WEB, 3), Duration.ofSeconds(15));
    History history = kos.history(settled);
    List<String> violations = new ArrayList<>();
    for (CommandResult first : batch) {
      List<CommandResult> all = answers.get(first.getCommandId());
      if (all.size() != 2) {
        violations.add("command " + first.getCommandId() + " answered " + all.size() + " times, not twice");
      } else if (all.get(1).getStatus() != first.getStatus()) {
        violations.add("command " + first.getCommandId() + " answered " + first.getStatus() + " then "
            + all.get(1).getStatus() + ": " + all.get(1).getReason());
      }
    }
    if (dropped.isEmpty()) {
      violations.add("the copy of the accept of " + duplicated + " got no DROPPED answer");
    }
    List<Launch> after = history.launches().stream().filter(l -> WEB.equals(l.appId()) && l.at() >= replayedAt)
        .toList();
    after.forEach(l -> violations.add("task " + l.taskId() + " launched after the replay"));
    Verdict replay = Verdict.of("R", Map.of("replayed-commands", (long) batch.size(), "launches-after", (long) after
        .size()), violations);
    CaseReport.assertPassed("an accept published twice and a replayed command batch", history, "BCD", started,
        List.of(Checks.wantedInstances(settled, Map.of(WEB, 3)), replay));
  }

  /**
   * Accepts of a framework that answers late: it takes an offer of each agent and accepts it with all the offered
   * resources at (a1) and 60 ms after (a2) the offer's expiry (--offer-timeout 10 s; the allocator's round, which
   * expires offers, comes every 50 ms, so the first races the expiry and the second comes after it), then
   * accepts whatever the agents offer it next, again with everything offered. The allocator must answer each
   * accept (a launch, or DROPPED when the offer had expired) and never give the same resources twice. Checks A
   * (no agent over-allocated, no port held twice), E (each launch answered by a status within 10 s) and L: every
   * late accept was answered.
   */
  @Test
  @Order(2)
  @Timeout(120)
  void anAcceptLandingAtTheOffersExpiry(@BootstrapServers String bootstrap) throws Exception {
    long started = System.currentTimeMillis();
    ChaosCluster kos = kos(bootstrap);
    Map<String, Long> deltas = Map.of("a1", 0L, "a2", 60L);
    Map<String, String> answersWanted = new TreeMap<>();
    List<String> timing = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> offers = offersFromNow(kos)) {
      Instant now = Instant.now();
      kos.publishRaw(Topics.FRAMEWORKS, LATE, kos.serialize(Topics.FRAMEWORKS, FrameworkInfo.newBuilder()
          .setFrameworkId(LATE).setName(LATE).setRole("*").setRegisteredAt(now).setHeartbeatAt(now).setEpoch(1)
          .build()));
      Map<String, Offer> first = awaitOffers(kos, offers, deltas.keySet(), Set.of(), Duration.ofSeconds(15));
      int task = 0;
      for (Offer offer : first.values().stream().sorted((a, b) -> a.getExpiresAt().compareTo(b.getExpiresAt()))
          .toList()) {
        long at = offer.getExpiresAt().toEpochMilli() + deltas.get(offer.getAgentId());
        Thread.sleep(Math.max(0, at - System.currentTimeMillis()));
        String taskId = LATE + ".late-" + ++task;
        long sent = acceptAll(kos, offer, taskId);
        answersWanted.put(taskId, offer.getOfferId());
        timing.add(taskId + " on " + offer.getAgentId() + " published " + (sent - offer.getExpiresAt().toEpochMilli())
            + " ms after its offer's expiry");
      }
      // What the expiry freed comes back as new offers: accepted at once, with all they hold.
      Map<String, Offer> next = awaitOffers(kos, offers, deltas.keySet(),
          first.values().stream().map(Offer::getOfferId).collect(Collectors.toSet()), Duration.ofSeconds(5));
      for (Offer offer : next.values()) {
        String taskId = LATE + ".next-" + ++task;
        acceptAll(kos, offer, taskId);
        answersWanted.put(taskId, offer.getOfferId());
      }
    }
    Map<String, String> outcome = awaitAnswers(kos, answersWanted.keySet(), Duration.ofSeconds(15));
    timing.forEach(t -> System.out.println("chaos: " + t + "; answered " + outcome.getOrDefault(t.split(" ")[0],
        "never")));
    // The framework goes away; its short tasks have ended by now or end within seconds.
    kos.publishRaw(Topics.FRAMEWORKS, LATE, null);
    Thread.sleep(CaseReport.STATUS_BOUND.toMillis() / 2);
    History history = kos.history(kos.reader().read(History.empty()));
    List<String> unanswered = answersWanted.keySet().stream().filter(t -> !outcome.containsKey(t))
        .map(t -> "the accept of " + t + " on offer " + answersWanted.get(t) + " was never answered").toList();
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("accepts", (long) answersWanted.size());
    counts.put("launched", outcome.values().stream().filter("launched"::equals).count());
    counts.put("dropped", outcome.values().stream().filter(a -> a.startsWith("DROPPED")).count());
    counts.put("unanswered", (long) unanswered.size());
    CaseReport.assertPassed("an accept landing at the offer's expiry", history, "AE", started,
        List.of(Verdict.of("L", counts, unanswered)));
  }

  private static CommandResult answered(ChaosCluster kos, Object payload) {
    return kos.command(payload, Duration.ofSeconds(30))
        .orElseThrow(() -> new AssertionError(payload + " not answered; apps log:\n" + kos.log("apps")));
  }

  private static History await(ChaosCluster kos, Map<String, Integer> wanted) throws InterruptedException {
    History settled = kos.awaitQuiescence(wanted, Duration.ofSeconds(30));
    long running = settled.instances().stream().filter(i -> "RUNNING".equals(i.state())).count();
    if (running != wanted.values().stream().mapToInt(Integer::intValue).sum()) {
      throw new AssertionError("the apps never ran " + wanted + ": " + settled.instances() + "\napps log:\n"
          + kos.log("apps"));
    }
    return settled;
  }

  /** Publishes again, as it is, the latest committed accept that launched a task of the app still running. */
  private static String publishAnAcceptAgain(ChaosCluster kos, History settled) throws Exception {
    Set<String> running = settled.instances().stream().filter(i -> "RUNNING".equals(i.state()))
        .map(History.AppInstance::taskId).collect(Collectors.toSet());
    ConsumerRecord<String, byte[]> copy = null;
    String taskId = null;
    for (ConsumerRecord<String, byte[]> record : kos.committed(Topics.ACCEPTS)) {
      if (record.value() == null) {
        continue;
      }
      AcceptEvent event = kos.bus().bus().serde(Topics.ACCEPTS).deserialize(record.topic(), record.value());
      if (event.getPayload() instanceof Accept accept) {
        for (Object operation : accept.getOperations()) {
          if (operation instanceof LaunchOperation launch) {
            for (TaskInfo task : launch.getTasks()) {
              if (running.contains(task.getTaskId())) {
                copy = record;
                taskId = task.getTaskId();
              }
            }
          }
        }
      }
    }
    if (copy == null) {
      throw new AssertionError("no committed accept launched one of " + running);
    }
    kos.publishRaw(Topics.ACCEPTS, copy.key(), copy.value());
    System.out.println("chaos: the accept at " + copy.partition() + "@" + copy.offset() + " that launched " + taskId
        + " published again");
    return taskId;
  }

  private static Command decode(ChaosCluster kos, ConsumerRecord<String, byte[]> record) {
    return kos.bus().bus().serde(Topics.COMMANDS).deserialize(record.topic(), record.value());
  }

  /** Every answer so far to each command of {@code batch}, in order, once each has two or {@code max} passed. */
  private static Map<String, List<CommandResult>> awaitAnswers(ChaosCluster kos, List<CommandResult> batch,
      Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      Map<String, List<CommandResult>> answers = new LinkedHashMap<>();
      batch.forEach(c -> answers.put(c.getCommandId(), new ArrayList<>()));
      for (ConsumerRecord<String, byte[]> record : kos.committed(Topics.COMMAND_RESULTS)) {
        if (record.value() != null && answers.containsKey(record.key())) {
          answers.get(record.key()).add(kos.bus().bus().serde(Topics.COMMAND_RESULTS)
              .deserialize(record.topic(), record.value()));
        }
      }
      if (answers.values().stream().allMatch(a -> a.size() >= 2) || System.nanoTime() > deadline) {
        return answers;
      }
      Thread.sleep(300);
    }
  }

  private static Optional<Status> awaitStatus(ChaosCluster kos, String taskId, String state, long since,
      Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    do {
      Optional<Status> found = kos.reader().read(History.empty()).statuses().stream()
          .filter(s -> s.taskId().equals(taskId) && s.state().equals(state) && s.at() >= since).findFirst();
      if (found.isPresent()) {
        return found;
      }
      Thread.sleep(300);
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }

  private static KafkaConsumer<String, byte[]> offersFromNow(ChaosCluster kos) {
    String topic = kos.bus().bus().topic(Topics.OFFERS);
    var props = kos.bus().bus().consumerProperties(null, "chaos-late-offers");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  /** The first offer to {@link #LATE} of each agent, leaving out {@code seen}; within {@code max}. */
  private static Map<String, Offer> awaitOffers(ChaosCluster kos, KafkaConsumer<String, byte[]> offers,
      Set<String> agents, Set<String> seen, Duration max) {
    Map<String, Offer> first = new TreeMap<>();
    long deadline = System.nanoTime() + max.toNanos();
    while (first.size() < agents.size() && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : offers.poll(Duration.ofMillis(50))) {
        if (!LATE.equals(record.key()) || record.value() == null) {
          continue;
        }
        OfferEvent event = kos.bus().bus().serde(Topics.OFFERS).deserialize(record.topic(), record.value());
        if (event.getPayload() instanceof Offer offer && !seen.contains(offer.getOfferId())) {
          first.putIfAbsent(offer.getAgentId(), offer);
        }
      }
    }
    return first;
  }

  /** Accepts {@code offer} with one short task holding all its scalar resources; returns when it was published. */
  private static long acceptAll(ChaosCluster kos, Offer offer, String taskId) throws Exception {
    Resources all = Resources.newBuilder().setCpus(offer.getResources().getCpus())
        .setMem(offer.getResources().getMem()).setDisk(offer.getResources().getDisk()).build();
    TaskInfo task = TaskInfo.newBuilder().setTaskId(taskId).setName(taskId).setFrameworkId(LATE)
        .setCommand(CommandInfo.newBuilder().setShell("sleep 2").build()).setResources(all).build();
    AcceptEvent accept = AcceptEvent.newBuilder().setPayload(Accept.newBuilder().setOfferIds(List.of(offer
        .getOfferId())).setFrameworkId(LATE).setAgentId(offer.getAgentId()).setOperations(List.of(
        LaunchOperation.newBuilder().setTasks(List.of(task)).build())).setTimestamp(Instant.now()).setFrameworkEpoch(1)
        .build()).build();
    long sent = System.currentTimeMillis();
    kos.publishRaw(Topics.ACCEPTS, offer.getAgentId(), kos.serialize(Topics.ACCEPTS, accept));
    return sent;
  }

  /** For each task id: "launched" (a committed LaunchTask) or the allocator's DROPPED answer with its reason. */
  private static Map<String, String> awaitAnswers(ChaosCluster kos, Set<String> taskIds, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    Map<String, String> answers = new TreeMap<>();
    do {
      History now = kos.reader().read(History.empty());
      answers.clear();
      now.launches().stream().filter(l -> taskIds.contains(l.taskId())).forEach(l -> answers.put(l.taskId(),
          "launched"));
      for (ConsumerRecord<String, byte[]> record : kos.committed(Topics.TASK_STATUS)) {
        TaskStatus status = record.value() == null ? null
            : kos.bus().bus().serde(Topics.TASK_STATUS).deserialize(record.topic(), record.value());
        if (status != null && taskIds.contains(status.getTaskId()) && status.getState() == TaskState.DROPPED) {
          answers.putIfAbsent(status.getTaskId(), "DROPPED (" + status.getMessage() + ")");
        }
      }
      if (answers.keySet().containsAll(taskIds)) {
        return answers;
      }
      Thread.sleep(300);
    } while (System.nanoTime() < deadline);
    return answers;
  }
}
