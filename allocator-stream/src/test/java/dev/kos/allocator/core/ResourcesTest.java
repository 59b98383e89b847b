package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

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
}
