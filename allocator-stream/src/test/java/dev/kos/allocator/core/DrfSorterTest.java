package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Resources;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrfSorterTest {

  private final DrfSorter sorter = new DrfSorter();

  @Test
  void shouldPutTheLowestDominantShareOverWeightFirst() {
    sorter.total(Resources.of(100, 1000));
    sorter.add("cpu-heavy", 1);
    sorter.add("mem-heavy", 1);
    sorter.add("heavy-but-weighty", 4);
    sorter.allocated("cpu-heavy", Resources.of(30, 10));
    sorter.allocated("mem-heavy", Resources.of(1, 200));
    sorter.allocated("heavy-but-weighty", Resources.of(40, 10));

    assertThat(names()).containsExactly("heavy-but-weighty", "mem-heavy", "cpu-heavy");
  }

  @Test
  void shouldReorderWhenTheClusterTotalChangesTheDominantResource() {
    sorter.total(Resources.of(100, 1000));
    sorter.add("a", 1);
    sorter.add("b", 1);
    sorter.allocated("a", Resources.of(10, 0));
    sorter.allocated("b", Resources.of(0, 200));
    assertThat(names()).containsExactly("a", "b");

    sorter.total(Resources.of(100, 10_000));

    assertThat(names()).containsExactly("b", "a");
  }

  @Test
  void shouldBreakTiesByNameSoTheOrderIsReproducible() {
    sorter.add("b", 1);
    sorter.add("a", 1);

    assertThat(names()).containsExactly("a", "b");
  }

  private List<String> names() {
    List<String> names = new ArrayList<>();
    sorter.inOrder().forEach(names::add);
    return names;
  }
}
