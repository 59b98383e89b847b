package dev.kos.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `kos up`'s local agents report loopback addresses of their own, which their tasks can advertise. */
class LocalAgentAddressTest {

  @ParameterizedTest
  @CsvSource({"1, 127.0.0.1", "2, 127.0.0.2", "3, 127.0.0.3", "255, 127.0.0.255", "256, 127.0.1.0",
      "300, 127.0.1.44"})
  void shouldGiveEachLocalAgentALoopbackAddressOfItsOwn(int agent, String address) throws Exception {
    assertThat(LocalStack.localAddress(agent)).isEqualTo(address);
    assertThat(InetAddress.getByName(LocalStack.localAddress(agent)).isLoopbackAddress()).isTrue();
  }

  @Test
  void shouldNeverGiveTwoAgentsOneAddress() {
    Set<String> seen = new HashSet<>();
    for (int agent = 1; agent <= 1_000; agent++) {
      assertThat(seen.add(LocalStack.localAddress(agent))).as("agent %d", agent).isTrue();
    }
  }

  @ParameterizedTest
  @CsvSource({"1, 1, 31000, 31999", "1, 2, 31000, 31883", "2, 2, 31884, 32767", "3, 3, 32178, 32766",
      "17, 17, 32664, 32767"})
  void shouldGiveEachLocalAgentPortsOfItsOwnBelowTheEphemeralRange(int agent, int agents, int begin, int end) {
    assertThat(LocalStack.localPorts(agent, agents)).isEqualTo(new dev.kos.model.PortRange(begin, end));
    for (int other = 1; other < agent; other++) {
      assertThat(LocalStack.localPorts(other, agents).end()).isLessThan(begin);
    }
    assertThat(end).isLessThan(LocalStack.EPHEMERAL_PORTS_FROM);
  }
}
