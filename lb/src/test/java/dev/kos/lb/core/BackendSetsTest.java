package dev.kos.lb.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.lb.core.EndpointsView.InstanceView;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackendSetsTest {

  static Stream<Arguments> cases() {
    InstanceView one = new InstanceView("web.1", "n1", List.of(31000, 31001));
    InstanceView two = new InstanceView("web.2", "n2", List.of(31002, 31003));
    return Stream.of(
        Arguments.of("every listed instance on its first port", view(List.of("http", "admin"), "", one, two),
            List.of(new Backend("web.1", "n1", 31000), new Backend("web.2", "n2", 31002)), 0),
        Arguments.of("the named port", view(List.of("http", "admin"), "admin", one, two),
            List.of(new Backend("web.1", "n1", 31001), new Backend("web.2", "n2", 31003)), 0),
        Arguments.of("an unknown port name uses no instance", view(List.of("http"), "grpc", one), List.of(), 1),
        Arguments.of("an instance without ports is left out", view(List.of("http"), "",
            new InstanceView("web.3", "n3", List.of()), one), List.of(new Backend("web.1", "n1", 31000)), 1),
        Arguments.of("an instance without host is left out", view(List.of(), "",
            new InstanceView("web.3", " ", List.of(1)), one), List.of(new Backend("web.1", "n1", 31000)), 1),
        Arguments.of("a port outside 1..65535 is left out", view(List.of(), "",
            new InstanceView("web.3", "n3", List.of(0)), new InstanceView("web.4", "n4", List.of(70000))),
            List.of(), 2),
        Arguments.of("the same host:port twice is used once", view(List.of(), "", one,
            new InstanceView("web.9", "n1", List.of(31000))), List.of(new Backend("web.1", "n1", 31000)), 1),
        Arguments.of("no instances: no backends", view(List.of("http"), ""), List.of(), 0),
        Arguments.of("an app without ports (a worker) has no backends and nothing left out", view(List.of(), "",
            new InstanceView("batch.1", "n1", List.of()), new InstanceView("batch.2", "n2", List.of())), List.of(), 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void buildsTheSet(String name, EndpointsView view, List<Backend> expected, int skipped) {
    BackendSet set = BackendSets.of(view);
    assertThat(set.backends()).isEqualTo(expected);
    assertThat(set.skipped()).hasSize(skipped);
    assertThat(set.listenPort()).contains(10080);
  }

  @org.junit.jupiter.api.Test
  void shouldCarryTheProtocolAndServeNothingOfAnUnknownOne() {
    InstanceView one = new InstanceView("db.1", "n1", List.of(5432));
    assertThat(BackendSets.of(view(List.of("db"), "", one)).protocol()).isEqualTo(Protocol.HTTP);
    BackendSet tcp = BackendSets.of(new EndpointsView("/db", List.of("db"), List.of(one), Optional.of(15432), "",
        "tcp"));
    assertThat(tcp.protocol()).isEqualTo(Protocol.TCP);
    assertThat(tcp.backends()).containsExactly(new Backend("db.1", "n1", 5432));
    assertThat(tcp.listenPort()).contains(15432);
    BackendSet unknown = BackendSets.of(new EndpointsView("/db", List.of("db"), List.of(one), Optional.of(15432), "",
        "udp"));
    assertThat(unknown.backends()).isEmpty();
    assertThat(unknown.listenPort()).as("no port is opened for a protocol the balancer cannot speak").isEmpty();
    assertThat(unknown.skipped()).containsExactly("the app asks for protocol 'udp', which this balancer does not "
        + "proxy (http, tcp); it is not served");
    BackendSet sameAsHttp = new BackendSet("/db", Optional.of(15432), tcp.backends(), List.of());
    assertThat(BackendSets.sameTargets(sameAsHttp, tcp))
        .as("the same backends and port under another protocol are not the same targets").isFalse();
  }

  static EndpointsView view(List<String> portNames, String portName, InstanceView... instances) {
    return new EndpointsView("/web", portNames, List.of(instances), Optional.of(10080), portName);
  }
}
