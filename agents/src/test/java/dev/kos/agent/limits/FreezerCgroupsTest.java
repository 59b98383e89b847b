package dev.kos.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FreezerCgroupsTest {
  @Test
  void shouldFindTheFreezerHierarchyOfAHybridHost() {
    String mounts = """
        tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
        cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
        cgroup /sys/fs/cgroup/freezer cgroup rw,relatime,freezer 0 0
        cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
        """;

    assertThat(FreezerCgroups.mountPoint(mounts)).hasValue(Path.of("/sys/fs/cgroup/freezer"));
    assertThat(FreezerCgroups.mountPoint("cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,cpu,cpuacct 0 0\n")).isEmpty();
    assertThat(FreezerCgroups.mountPoint("cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n")).isEmpty();
  }

  @Test
  void shouldFindTheAgentsOwnFreezerCgroup() {
    assertThat(FreezerCgroups.ownCgroup("9:name=systemd:/\n6:freezer:/docker/abc\n0::/\n")).hasValue("/docker/abc");
    assertThat(FreezerCgroups.ownCgroup("7:cpu,freezer:/x\n")).hasValue("/x");
    assertThat(FreezerCgroups.ownCgroup("0::/user.slice\n")).isEmpty();
  }
}
