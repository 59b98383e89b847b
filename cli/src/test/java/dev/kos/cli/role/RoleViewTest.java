package dev.kos.cli.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.schema.Resources;
import dev.kos.schema.RoleInfo;
import org.junit.jupiter.api.Test;

class RoleViewTest {

  @Test
  void shouldListARoleWithoutQuotaWithDashes() {
    assertThat(RoleView.row(RoleInfo.newBuilder().setRole("web").build()))
        .containsExactly("web", "1", "0", "-", "-", "-");
  }

  @Test
  void shouldShowALimitsZeroScalarsAsNotLimited() {
    RoleInfo batch = RoleInfo.newBuilder().setRole("batch").setWeight(0.5).setPriority(-1)
        .setGuarantee(Resources.newBuilder().setCpus(1).build())
        .setLimit(Resources.newBuilder().setCpus(8).setMem(16384).build()).setMaxClusterUtilization(0.9).build();

    assertThat(RoleView.row(batch)).containsExactly("batch", "0.5", "-1", "cpus 1 mem 0 disk 0",
        "cpus 8 mem 16384 disk -", "0.9");
  }
}
