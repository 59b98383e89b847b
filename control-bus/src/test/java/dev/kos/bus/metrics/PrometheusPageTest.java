package dev.kos.bus.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.bus.testing.PrometheusPage;
import org.junit.jupiter.api.Test;

/** The test helper that reads scraped pages: it must read what the registry writes, or the ITs prove nothing. */
class PrometheusPageTest {

  private static final String PAGE = """
      # HELP kos_offers_total Offers the allocator made, by framework
      # TYPE kos_offers_total counter
      kos_offers_total{framework="apps"} 12.0
      kos_offers_total{framework="jobs"} 3.0
      kos_role_drf_share{role="web \\"blue\\""} 0.25
      kos_allocator_round_seconds_bucket{le="+Inf"} 40
      kos_agents_lost_total 0.0
      kos_nan NaN
      """;

  @Test
  void shouldSumTheSamplesOfANameWhoseLabelsIncludeTheGivenOnes() {
    PrometheusPage page = PrometheusPage.parse(PAGE);

    assertThat(page.value("kos_offers_total")).isEqualTo(15.0);
    assertThat(page.value("kos_offers_total", "framework", "apps")).isEqualTo(12.0);
    assertThat(page.value("kos_role_drf_share", "role", "web \"blue\"")).isEqualTo(0.25);
    assertThat(page.value("kos_allocator_round_seconds_bucket", "le", "+Inf")).isEqualTo(40.0);
    assertThat(page.value("kos_agents_lost_total")).isZero();
    assertThat(page.value("kos_nan")).isNaN();
    assertThat(page.has("kos_offers_total", "framework", "kafka")).isFalse();
  }

  @Test
  void shouldFailNamingWhatThePageHasWhenNoSampleMatches() {
    PrometheusPage page = PrometheusPage.parse(PAGE);

    assertThatThrownBy(() -> page.value("kos_offers_total", "framework", "kafka"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no sample kos_offers_total with labels [framework, kafka]")
        .hasMessageContaining("kos_offers_total{framework=apps}");
  }
}
