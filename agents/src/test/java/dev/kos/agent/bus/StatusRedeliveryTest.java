package dev.kos.agent.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.model.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class StatusRedeliveryTest {

  private final StatusRedelivery redelivery = new StatusRedelivery();

  @Test
  void shouldSendAFailedStatusAgainWhileItIsItsTasksLatest() {
    StatusUpdate running = status("t1", TaskState.RUNNING);
    redelivery.sent(running);

    assertThat(redelivery.failed(running)).contains(running);
  }

  @Test
  void shouldNotSendAnOlderStatusAgainOnceALaterOneWasSent() {
    StatusUpdate running = status("t1", TaskState.RUNNING);
    StatusUpdate finished = status("t1", TaskState.FINISHED);
    redelivery.sent(running);
    redelivery.sent(finished);

    assertThat(redelivery.failed(running)).as("RUNNING after FINISHED would take the task back").isEmpty();
    assertThat(redelivery.failed(finished)).contains(finished);
  }

  @Test
  void shouldForgetATaskOnceItsTerminalStatusIsAcknowledgedOnly() {
    StatusUpdate running = status("t1", TaskState.RUNNING);
    redelivery.sent(running);
    redelivery.delivered(running);
    assertThat(redelivery.tracked()).as("a running task's latest status is kept").isEqualTo(1);

    StatusUpdate killed = status("t1", TaskState.KILLED);
    redelivery.sent(killed);
    redelivery.delivered(killed);
    assertThat(redelivery.tracked()).isZero();
  }

  @Test
  void shouldSendEveryFailedStatusAgainThroughDeliveriesUntilTheBusTakesIt() {
    Deliveries deliveries = new Deliveries();
    List<StatusUpdate> published = new ArrayList<>();
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    class Agent {
      void publish(StatusUpdate status) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        published.add(status);
        acks.add(ack);
        deliveries.track("status of " + status.taskId(), ack, failure -> {
          if (failure == null) {
            redelivery.delivered(status);
          } else {
            redelivery.failed(status).ifPresent(this::publish);
          }
        });
      }
    }
    Agent agent = new Agent();
    StatusUpdate finished = status("t1", TaskState.FINISHED);
    redelivery.sent(finished);
    agent.publish(finished);

    acks.get(0).completeExceptionally(new TimeoutException("Expiring 1 record(s): 300000 ms has passed"));
    assertThat(deliveries.sweep()).as("sent again, in flight").isEqualTo(1);
    acks.get(1).complete(null);
    assertThat(deliveries.sweep()).isZero();

    assertThat(published).containsExactly(finished, finished);
    assertThat(redelivery.tracked()).isZero();
  }

  private static StatusUpdate status(String taskId, TaskState state) {
    return new StatusUpdate(taskId, "apps", "/web", state, null, null, null, new ResourceSet(0.1, 32, 0, List.of()), null,
        Instant.parse("2026-12-06T21:00:00Z"));
  }
}
