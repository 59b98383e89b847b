package dev.kos.bus.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs a principal needs to run kos's services (allocator, agents, frameworks, schema registry) on a
 * bus with an authorizer, and nothing more: topics and ACLs themselves are the operator's, made once as an admin.
 *
 * @param principal e.g. {@code User:kos}
 * @param topicPrefix the catalogue's prefix: every kos topic
 * @param allocatorApplicationId the allocator's Kafka Streams application id: its consumer group, transactional
 *     ids (exactly-once) and internal topics (changelogs) all start with it
 * @param registryTopic the schema registry's own log, when kos's registry runs as this principal
 */
public record ServiceAcls(String principal, String topicPrefix, String allocatorApplicationId, String registryTopic) {

  public ServiceAcls {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Objects.requireNonNull(allocatorApplicationId, "allocatorApplicationId");
    Objects.requireNonNull(registryTopic, "registryTopic");
    if (!principal.contains(":")) {
      throw new IllegalArgumentException("a principal has a type, e.g. User:" + principal);
    }
  }

  /** Frameworks write their state in transactions whose ids start with this, e.g. {@code kos-framework-apps}. */
  public static final String FRAMEWORK_TRANSACTIONAL_ID_PREFIX = "kos-framework-";

  /** One grant: operations on resources of one type and name (prefix or literal), for people and for Kafka. */
  public record Grant(ResourceType type, String name, PatternType pattern, List<AclOperation> operations,
      String why) {
  }

  public List<Grant> grants() {
    return List.of(
        new Grant(ResourceType.TOPIC, topicPrefix, PatternType.PREFIXED,
            List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS),
            "every kos topic: the services read and write the bus"),
        new Grant(ResourceType.TOPIC, allocatorApplicationId, PatternType.PREFIXED, List.of(AclOperation.ALL),
            "the allocator's changelog topics, which Kafka Streams creates"),
        new Grant(ResourceType.TRANSACTIONAL_ID, allocatorApplicationId, PatternType.PREFIXED,
            List.of(AclOperation.WRITE, AclOperation.DESCRIBE), "the allocator's exactly-once transactions"),
        new Grant(ResourceType.TRANSACTIONAL_ID, FRAMEWORK_TRANSACTIONAL_ID_PREFIX, PatternType.PREFIXED,
            List.of(AclOperation.WRITE, AclOperation.DESCRIBE),
            "frameworks' state writes, which a framework's newer instance fences"),
        new Grant(ResourceType.GROUP, "*", PatternType.LITERAL, List.of(AclOperation.READ),
            "consumer groups: the allocator's, and those of readers that commit their position"),
        new Grant(ResourceType.TOPIC, registryTopic, PatternType.LITERAL,
            List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE),
            "the schema registry's log, which it creates on its first start"));
  }

  public List<AclBinding> bindings() {
    List<AclBinding> bindings = new ArrayList<>();
    for (Grant grant : grants()) {
      for (AclOperation operation : grant.operations()) {
        bindings.add(new AclBinding(new ResourcePattern(grant.type(), grant.name(), grant.pattern()),
            new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
      }
    }
    return bindings;
  }

  /** The same grants as {@code kafka-acls.sh} commands an operator can run. */
  public List<String> kafkaAclsCommands(String bootstrapServers, String adminConfigFile) {
    return grants().stream().map(grant -> "kafka-acls.sh --bootstrap-server " + bootstrapServers
        + " --command-config " + adminConfigFile + " --add --allow-principal " + principal + " "
        + grant.operations().stream().map(op -> "--operation " + camel(op.name())).collect(Collectors.joining(" "))
        + " " + option(grant.type()) + " '" + grant.name() + "' --resource-pattern-type "
        + grant.pattern().name().toLowerCase() + "    # " + grant.why()).toList();
  }

  private static String option(ResourceType type) {
    return switch (type) {
      case TOPIC -> "--topic";
      case GROUP -> "--group";
      case TRANSACTIONAL_ID -> "--transactional-id";
      default -> throw new IllegalArgumentException("no kafka-acls.sh option for " + type);
    };
  }

  private static String camel(String operation) {
    StringBuilder out = new StringBuilder();
    for (String word : operation.toLowerCase().split("_")) {
      out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return out.toString();
  }
}
