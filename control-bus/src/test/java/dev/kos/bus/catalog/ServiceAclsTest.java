package dev.kos.bus.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class ServiceAclsTest {

  private final ServiceAcls acls = new ServiceAcls("User:kos", "kos.", "kos-allocator", "_kos_schemas");

  @Test
  void shouldGrantTheServicesTheirTopicsTransactionsAndGroupsAndNothingThatAltersTheCluster() {
    assertThat(acls.bindings()).hasSize(14).allSatisfy(binding -> {
      assertThat(binding.entry().principal()).isEqualTo("User:kos");
      assertThat(binding.entry().operation()).isNotIn(AclOperation.ALTER, AclOperation.DELETE,
          AclOperation.CLUSTER_ACTION);
    });
    assertThat(acls.bindings()).anySatisfy(binding -> {
      assertThat(binding.pattern().resourceType()).isEqualTo(ResourceType.TRANSACTIONAL_ID);
      assertThat(binding.pattern().name()).isEqualTo("kos-allocator");
      assertThat(binding.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
    });
    assertThat(acls.bindings()).anySatisfy(binding -> {
      assertThat(binding.pattern().resourceType()).isEqualTo(ResourceType.TRANSACTIONAL_ID);
      assertThat(binding.pattern().name()).isEqualTo(ServiceAcls.FRAMEWORK_TRANSACTIONAL_ID_PREFIX);
      assertThat(binding.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
    });
    assertThat(acls.bindings()).noneMatch(binding -> binding.pattern().resourceType() == ResourceType.CLUSTER);
  }

  @Test
  void shouldPrintTheSameGrantsAsKafkaAclsCommands() {
    assertThat(acls.kafkaAclsCommands("b:9093", "admin.properties")).hasSize(acls.grants().size()).first()
        .isEqualTo("kafka-acls.sh --bootstrap-server b:9093 --command-config admin.properties --add "
            + "--allow-principal User:kos --operation Read --operation Write --operation Describe "
            + "--operation DescribeConfigs --topic 'kos.' --resource-pattern-type prefixed"
            + "    # every kos topic: the services read and write the bus");
  }

  @Test
  void shouldAskForAPrincipalWithItsType() {
    assertThatThrownBy(() -> new ServiceAcls("kos", "kos.", "a", "r")).hasMessageContaining("User:kos");
  }
}
