package dev.kos.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageReferenceTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("oci:/images/web", new ImageReference("/images/web", Optional.empty(), Optional.empty())),
        Arguments.of("oci:/images/web:1.2", new ImageReference("/images/web", Optional.of("1.2"), Optional.empty())),
        Arguments.of("oci:/images/web@" + DIGEST, new ImageReference("/images/web", Optional.empty(),
            Optional.of(DIGEST))),
        Arguments.of("oci:/im:ages/web", new ImageReference("/im:ages/web", Optional.empty(), Optional.empty())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void shouldParse(String text, ImageReference expected) {
    assertThat(ImageReference.parse(text)).isEqualTo(expected);
    assertThat(ImageReference.parse(text)).hasToString(text);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("docker://busybox", "is not oci:PATH[:TAG]"),
        Arguments.of("oci:images/web", "names a relative path"),
        Arguments.of("oci:/images/web:bad tag", "which is no tag"),
        Arguments.of("oci:/images/web@sha256:xyz", "which is no sha256:HEX digest"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void shouldSayWhatIsWrong(String text, String message) {
    assertThatThrownBy(() -> ImageReference.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
