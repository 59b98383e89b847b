package dev.kos.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupV2Test {
  @TempDir
  Path fakeRoot;

  @Test
  void shouldFindTheUnifiedHierarchyLineOfProcSelfCgroup() {
    String hybrid = "4:memory:/some/v1/path\n1:cpu:/\n0::/system.slice/kos-agent.service\n";

    assertThat(CgroupV2.ownCgroup(hybrid)).hasValue("/system.slice/kos-agent.service");
    assertThat(CgroupV2.ownCgroup("4:memory:/x\n1:cpu:/\n")).isEmpty();
  }

  @Test
  void shouldFindTheCgroup2MountOnAHybridHost() {
    String mounts = "tmpfs /sys/fs/cgroup tmpfs rw 0 0\n"
        + "cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n"
        + "cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n";

    assertThat(CgroupV2.mountPoint(mounts)).hasValue(Path.of("/sys/fs/cgroup/unified"));
    assertThat(CgroupV2.mountPoint("cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n")).isEmpty();
  }

  @Test
  void shouldNeedBothCpuAndMemoryControllers() {
    assertThat(CgroupV2.hasControllers("cpuset cpu io memory pids")).isTrue();
    assertThat(CgroupV2.hasControllers("cpu io pids")).isFalse();
    assertThat(CgroupV2.hasControllers("")).isFalse();
  }

  @Test
  void shouldSayNoWithoutAV2Hierarchy() throws Exception {
    Path procSelfCgroup = Files.writeString(fakeRoot.resolve("proc-self-cgroup"), "0::/\n");

    assertThat(CgroupV2.detect(fakeRoot.resolve("missing"), procSelfCgroup, "a1")).isEmpty();
  }

  @Test
  void shouldSayNoWhenChildCgroupsDoNotGetTheControllers() throws Exception {
    // A plain directory looks like a v2 hierarchy, but a child made in it has no cpu.max:
    // exactly the host that lists controllers yet does not delegate them.
    Files.writeString(fakeRoot.resolve("cgroup.controllers"), "cpu memory");
    Files.writeString(fakeRoot.resolve("cgroup.subtree_control"), "cpu memory");
    Path procSelfCgroup = Files.writeString(fakeRoot.resolve("proc-self-cgroup"), "0::/\n");

    assertThat(CgroupV2.detect(fakeRoot, procSelfCgroup, "a1")).isEmpty();
    assertThat(Files.list(fakeRoot)).noneMatch(path -> path.getFileName().toString().startsWith("kos-probe"));
  }
}
