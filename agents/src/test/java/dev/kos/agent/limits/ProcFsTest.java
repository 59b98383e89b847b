package dev.kos.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcFsTest {
  @Test
  void shouldReadVmRssInBytes() {
    String status = "Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t   2048 kB\nThreads:\t3\n";

    assertThat(ProcFs.parseVmRss(status)).hasValue(2048L * 1024);
  }

  @Test
  void shouldHaveNoRssForAKernelThread() {
    assertThat(ProcFs.parseVmRss("Name:\tkthreadd\nThreads:\t1\n")).isEmpty();
  }

  @Test
  void shouldReadItsOwnRss() {
    assertThat(ProcFs.rssBytes(ProcessHandle.current().pid()).orElseThrow()).isPositive();
  }
}
