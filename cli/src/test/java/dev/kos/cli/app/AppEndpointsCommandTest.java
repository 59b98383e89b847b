package dev.kos.cli.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.schema.AppEndpoints;
import dev.kos.schema.Endpoint;
import dev.kos.schema.LoadBalancer;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What `kos app endpoints` prints besides the table: where a balancer serves the app. */
class AppEndpointsCommandTest {

  private static AppEndpoints endpoints(LoadBalancer lb) {
    return AppEndpoints.newBuilder().setAppId("/web").setVersion("v1").setPortNames(List.of("http", "admin"))
        .setEndpoints(List.of(Endpoint.newBuilder().setInstanceId("web.1").setTaskId("web.1.0").setAgentId("a1")
            .setHost("n1").setPorts(List.of(31000, 31001)).setVersion("v1").build()))
        .setLoadBalancer(lb).setUpdatedAt(Instant.EPOCH).build();
  }

  static Stream<Arguments> servicePorts() {
    return Stream.of(
        Arguments.of("to a named port",
            LoadBalancer.newBuilder().setPort(10080).setPortName("http").build(),
            "service port: 10080 (http, to port http): `kos lb` serves /web at http://LB-HOST:10080/"),
        Arguments.of("to the first port",
            LoadBalancer.newBuilder().setPort(10081).build(),
            "service port: 10081 (http, to its first port): `kos lb` serves /web at http://LB-HOST:10081/"),
        Arguments.of("tcp",
            LoadBalancer.newBuilder().setPort(15432).setProtocol("tcp").build(),
            "service port: 15432 (tcp, to its first port): `kos lb` serves /web at LB-HOST:15432 (each connection to "
                + "one instance)"),
        Arguments.of("none",
            null,
            "service port: none (the spec has no \"loadBalancer\"); `kos lb --http-port P` serves /web by path at "
                + "http://LB-HOST:P/web/"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servicePorts")
  void shouldNameTheServicePort(String name, LoadBalancer lb, String line) {
    assertThat(AppEndpointsCommand.servicePort(endpoints(lb))).isEqualTo(line);
  }

  @Test
  void shouldNameEachPortOfAnInstance() {
    assertThat(AppEndpointsCommand.addresses(endpoints(null).getEndpoints().get(0), List.of("http", "admin")))
        .isEqualTo("n1:31000 (http), n1:31001 (admin)");
  }
}
