package dev.kos.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Ports behave as the set of the ports they hold, whatever ranges they are built from. */
class PortsPropertiesTest {

  @Property
  void plusMinusAndIntersectAreSetOperations(@ForAll("ports") List<PortRange> a, @ForAll("ports") List<PortRange> b) {
    Ports x = a.isEmpty() ? Ports.NONE : new Ports(a);
    Ports y = b.isEmpty() ? Ports.NONE : new Ports(b);
    Set<Integer> setX = set(a);
    Set<Integer> setY = set(b);

    Set<Integer> union = new TreeSet<>(setX);
    union.addAll(setY);
    Set<Integer> difference = new TreeSet<>(setX);
    difference.removeAll(setY);
    Set<Integer> common = new TreeSet<>(setX);
    common.retainAll(setY);

    assertThat(set(x.plus(y).ranges())).isEqualTo(union);
    assertThat(set(x.minus(y).ranges())).isEqualTo(difference);
    assertThat(set(x.intersect(y).ranges())).isEqualTo(common);
    assertThat(x.containsAll(y)).isEqualTo(setX.containsAll(setY));
    assertThat(x.plus(y)).isEqualTo(y.plus(x));
    assertThat(x.minus(new ArrayList<>(setY))).isEqualTo(x.minus(y));
  }

  @Property
  void scalarArithmeticStaysOnTheThousandthGrid(@ForAll("amounts") double a, @ForAll("amounts") double b) {
    Resources sum = Resources.of(a, b).plus(Resources.of(b, a));

    assertThat(sum.minus(Resources.of(b, a))).isEqualTo(Resources.of(a, b));
    assertThat(sum.containsAll(Resources.of(a, b))).isTrue();
    assertThat(Math.round(sum.cpus() * 1000) / 1000.0).isEqualTo(sum.cpus());
  }

  @Provide
  Arbitrary<List<PortRange>> ports() {
    Arbitrary<PortRange> range = Combinators.combine(Arbitraries.integers().between(1, 120),
        Arbitraries.integers().between(0, 15)).as((begin, length) -> new PortRange(begin, begin + length));
    return range.list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<Double> amounts() {
    return Arbitraries.doubles().between(0, 1_000_000).ofScale(3);
  }

  private static Set<Integer> set(List<PortRange> ranges) {
    Set<Integer> ports = new TreeSet<>();
    for (PortRange range : ranges) {
      for (int port = range.begin(); port <= range.end(); port++) {
        ports.add(port);
      }
    }
    return ports;
  }
}
