package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FrameworkEpochsTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // registrations seen (epochs of "apps"), the accept's epoch, refused?
        Arguments.of(List.of(), 0L, false),
        Arguments.of(List.of(0L), 0L, false),
        Arguments.of(List.of(3L), 3L, false),
        Arguments.of(List.of(3L), 4L, false),
        Arguments.of(List.of(3L, 4L), 3L, true),
        Arguments.of(List.of(4L, 3L), 3L, true),
        Arguments.of(List.of(1L), 0L, true));
  }

  @ParameterizedTest(name = "seen {0}, accept at {1}: refused {2}")
  @MethodSource("cases")
  void shouldRefuseOnlyAcceptsBelowTheHighestEpochSeen(List<Long> seen, long acceptEpoch, boolean refused) {
    FrameworkEpochs epochs = new FrameworkEpochs();
    seen.forEach(epoch -> epochs.seen("apps", epoch));
    epochs.seen("jobs", 9);

    assertThat(epochs.fenced("apps", acceptEpoch).isPresent()).isEqualTo(refused);
  }

  @ParameterizedTest(name = "seen {0}, accept at {1}: refused {2}")
  @MethodSource("cases")
  void shouldForgetARemovedFramework(List<Long> seen, long acceptEpoch, boolean refused) {
    FrameworkEpochs epochs = new FrameworkEpochs();
    seen.forEach(epoch -> epochs.seen("apps", epoch));
    epochs.removed("apps");

    assertThat(epochs.fenced("apps", acceptEpoch)).isEmpty();
  }
}
