package dev.kos.bus.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LoopSupervisorTest {

  private final List<String> deaths = new CopyOnWriteArrayList<>();
  private final AtomicReference<Throwable> cause = new AtomicReference<>();
  private final LoopSupervisor supervisor = new LoopSupervisor((loop, failure) -> {
    deaths.add(loop);
    cause.set(failure);
  });

  @Test
  void shouldReportALoopKilledByAnError() throws InterruptedException {
    StackOverflowError error = new StackOverflowError("deep");

    supervisor.start("placements", () -> {
      throw error;
    }).join();

    assertThat(deaths).containsExactly("placements");
    assertThat(cause.get()).isSameAs(error);
  }

  @Test
  void shouldReportALoopEndedByAnException() throws InterruptedException {
    supervisor.start("commands", () -> {
      throw new IllegalStateException("could not publish to kos.dead-letters");
    }).join();

    assertThat(deaths).containsExactly("commands");
    assertThat(cause.get()).hasMessage("could not publish to kos.dead-letters");
  }

  @Test
  void shouldLetALoopThatReturnsFinishQuietly() throws InterruptedException {
    Thread thread = supervisor.start("closed", () -> { });
    thread.join();

    assertThat(thread.getName()).isEqualTo("closed");
    assertThat(deaths).isEmpty();
  }

  @Test
  void shouldExitWithItsOwnStatusOnceHoweverManyLoopsDie() throws InterruptedException {
    List<Integer> exits = new CopyOnWriteArrayList<>();
    LoopSupervisor exiting = new LoopSupervisor(LoopSupervisor.exitingVia(exits::add));

    exiting.start("a", () -> {
      throw new OutOfMemoryError("Java heap space");
    }).join();
    exiting.start("b", () -> {
      throw new IllegalStateException("second");
    }).join();

    assertThat(exits).containsExactly(LoopSupervisor.EXIT_LOOP_DIED);
    assertThat(LoopSupervisor.EXIT_LOOP_DIED).isNotIn(0, 1, 2);
  }
}
