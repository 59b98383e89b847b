package dev.kos.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourcesTest {

  @Test
  void shouldSubtractPortRangesLeavingTheGaps() {
    Ports ports = Ports.range(1000, 1010).minus(new Ports(List.of(new PortRange(1002, 1003),
        new PortRange(1008, 1020))));

    assertThat(ports.toString()).isEqualTo("[1000-1001,1004-1007]");
  }

  @Test
  void shouldMergeTouchingRangesWhenAdding() {
    assertThat(Ports.range(1, 5).plus(Ports.range(6, 9))).isEqualTo(Ports.range(1, 9));
  }

  @Test
  void shouldIntersectRanges() {
    Ports both = new Ports(List.of(new PortRange(1, 5), new PortRange(10, 20))).intersect(Ports.range(4, 12));

    assertThat(both.toString()).isEqualTo("[4-5,10-12]");
  }

  @Test
  void shouldContainOnlyPortsItHolds() {
    Ports held = new Ports(List.of(new PortRange(1, 5), new PortRange(7, 9)));

    assertThat(held.containsAll(Ports.range(2, 4))).isTrue();
    assertThat(held.containsAll(Ports.range(4, 7))).isFalse();
  }

  @Test
  void shouldNotDriftOverManyAdditionsAndSubtractions() {
    Resources total = Resources.of(32, 131_072);
    Resources left = total;
    for (int i = 0; i < 320; i++) {
      left = left.minus(Resources.of(0.1, 0.1));
    }

    assertThat(left).isEqualTo(Resources.of(0, 131_040));
  }

  @Test
  void shouldTakeTheLargestShareAsTheDominantShare() {
    assertThat(Resources.of(1, 3072).dominantShare(Resources.of(4, 4096))).isEqualTo(0.75);
  }

  @Test
  void shouldRejectNegativeOrNonFiniteAmounts() {
    assertThatThrownBy(() -> Resources.of(-1, 0)).hasMessageContaining("cpus");
    assertThatThrownBy(() -> Resources.of(1, Double.NaN)).hasMessageContaining("mem");
  }

  /** One table for what a resource amount accepts, and what containsAll says of two amounts. */
  @ParameterizedTest(name = "{0} cpus, {1} mem, {2} disk holds 1 cpu 512 mem 10 disk: {3}")
  @CsvSource({
      "1,     512,   10,   true",
      "1.0004, 512,  10,   true",
      "0.9996, 512,  10,   true",
      "0.999, 512,   10,   false",
      "2,     511.9, 10,   false",
      "2,     1024,  9.99, false",
      "0,     0,     0,    false",
  })
  void shouldHoldAnAmountWhenEveryScalarIsAtLeastAsLargeOnTheThousandthGrid(double cpus, double mem, double disk,
      boolean holds) {
    assertThat(Resources.of(cpus, mem, disk).containsAll(Resources.of(1, 512, 10))).isEqualTo(holds);
  }

  @ParameterizedTest(name = "{0} cpus, {1} mem, {2} disk is rejected")
  @CsvSource({"-0.1, 1, 1", "1, -1, 1", "1, 1, -5", "Infinity, 1, 1", "1, 1, NaN"})
  void shouldRejectAmountsThatAreNotFiniteAndAtLeastZero(double cpus, double mem, double disk) {
    assertThatThrownBy(() -> Resources.of(cpus, mem, disk)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a finite number >= 0");
  }

  @Test
  void shouldNeedTheOfferedPortsToo() {
    Resources offered = Resources.of(2, 1024).withPorts(Ports.range(31000, 31009));

    assertThat(offered.containsAll(Resources.of(1, 512).withPorts(Ports.of(List.of(31000, 31005))))).isTrue();
    assertThat(offered.containsAll(Resources.of(1, 512).withPorts(Ports.of(List.of(31010))))).isFalse();
  }
}
