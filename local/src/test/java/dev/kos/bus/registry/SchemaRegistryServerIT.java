package dev.kos.bus.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.schema.Command;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class SchemaRegistryServerIT {

  private static final Schema V1 = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
  private static final Schema V2_OK = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
          + "{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}]}");
  private static final Schema V2_BREAKING = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");

  @Test
  void shouldServeTheSameIdsAfterARestartBecauseSchemasLiveInTheTopic(@BootstrapServers String bootstrap) throws Exception {
    String topic = "_schemas-" + UUID.randomUUID();
    int commandId;
    int v1;
    try (SchemaRegistryServer server = SchemaRegistryServer.start(bootstrap, topic, "127.0.0.1", 0)) {
      RestSchemaRegistryClient client = new RestSchemaRegistryClient(server.url());
      commandId = client.register("kos.commands-value", Command.getClassSchema());
      v1 = client.register("t-value", V1);
    }
    try (SchemaRegistryServer restarted = SchemaRegistryServer.start(bootstrap, topic, "127.0.0.1", 0)) {
      RestSchemaRegistryClient client = new RestSchemaRegistryClient(restarted.url());
      assertThat(client.schemaById(commandId)).isEqualTo(Command.getClassSchema());
      assertThat(client.register("t-value", V1)).as("same schema, same id").isEqualTo(v1);
      assertThat(client.register("t-value", V2_OK)).as("new version, new id").isNotIn(v1, commandId);
    }
  }

  @Test
  void shouldRefuseABreakingChangeWithTheReason(@BootstrapServers String bootstrap) throws Exception {
    try (SchemaRegistryServer server = SchemaRegistryServer.start(bootstrap, "_schemas-" + UUID.randomUUID(), "127.0.0.1", 0)) {
      RestSchemaRegistryClient client = new RestSchemaRegistryClient(server.url());
      client.register("t-value", V1);

      assertThatThrownBy(() -> client.register("t-value", V2_BREAKING))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining("409")
          .hasMessageContaining("not BACKWARD compatible");
    }
  }

  @Test
  void shouldAnswerTheConfluentRestEndpointsThatToolsUse(@BootstrapServers String bootstrap) throws Exception {
    try (SchemaRegistryServer server = SchemaRegistryServer.start(bootstrap, "_schemas-" + UUID.randomUUID(), "127.0.0.1", 0)) {
      new RestSchemaRegistryClient(server.url()).register("t-value", V1);
      HttpClient http = HttpClient.newHttpClient();

      assertThat(get(http, server.url() + "/subjects")).isEqualTo("[\"t-value\"]");
      assertThat(get(http, server.url() + "/subjects/t-value/versions")).isEqualTo("[1]");
      assertThat(get(http, server.url() + "/subjects/t-value/versions/latest"))
          .contains("\"subject\":\"t-value\"", "\"version\":1");
      assertThat(get(http, server.url() + "/config")).contains("BACKWARD");
      assertThat(get(http, server.url() + "/schemas/ids/999")).contains("40403");
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
