package dev.kos.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskUsersTest {

  /** Setting, agent's user, the task's own user (null: none) → the user it runs as ("-": the agent's, no switch). */
  static Stream<Arguments> decisions() {
    return Stream.of(
        Arguments.of("agent", "root", null, "-"),
        Arguments.of("agent", "root", "nobody", "nobody"),
        Arguments.of("agent", "root", "root", "-"),
        Arguments.of("auto", "root", null, "nobody"),
        Arguments.of("auto", "root", "web", "web"),
        Arguments.of("auto", "root", "root", "-"),
        Arguments.of("auto", "alice", null, "-"),
        Arguments.of("auto", "alice", "alice", "-"),
        Arguments.of("nobody", "root", null, "nobody"),
        Arguments.of("kos-tasks", "root", null, "kos-tasks"),
        Arguments.of("kos-tasks", "root", "web", "web"),
        Arguments.of("root", "root", null, "-"),
        Arguments.of("alice", "alice", null, "-"),
        Arguments.of("", "root", null, "-"),
        Arguments.of(null, "root", null, "-"));
  }

  @ParameterizedTest(name = "--task-user {0} on an agent run as {1}: a task naming {2} runs as {3}")
  @MethodSource("decisions")
  void shouldPickTheUserATaskRunsAs(String setting, String agentUser, String named, String expected) {
    TaskUsers users = TaskUsers.of(setting, agentUser, agentUser.equals("root"));

    assertThat(users.processUser(named).orElse("-")).isEqualTo(expected);
  }

  @Test
  void shouldRunTasksAsTheAgentsUserByDefaultForNow() {
    TaskUsers users = TaskUsers.of(TaskUsers.DEFAULT_SETTING, "root", true);

    assertThat(users.switches()).isFalse();
    assertThat(users.defaultUserName()).isEqualTo("root");
    assertThat(users.containerUser()).isEmpty();
  }

  @Test
  void shouldAdvertiseTheUserTasksThatNameNoneRunAs() {
    assertThat(TaskUsers.of("auto", "root", true).defaultUserName()).isEqualTo("nobody");
    assertThat(TaskUsers.of("auto", "alice", false).defaultUserName()).isEqualTo("alice");
    assertThat(TaskUsers.of("auto", "root", true).containerUser()).contains("nobody");
    assertThat(TaskUsers.of("agent", "root", true).containerUser()).isEqualTo(Optional.empty());
  }

  @Test
  void shouldRefuseASettingTheAgentCannotHonour() {
    assertThatThrownBy(() -> TaskUsers.of("nobody", "alice", false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--task-user nobody: this agent runs as alice, not root, and cannot run tasks as another user; "
            + "run it as root, or use --task-user agent");
    assertThatThrownBy(() -> TaskUsers.of("-x; rm", "root", true)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--task-user \"-x; rm\" is not a user name; give one, or auto or agent");
  }

  @Test
  void shouldRefuseATaskThatNamesAnotherUserOnAnAgentThatCannotSwitch() {
    TaskUsers users = TaskUsers.of("auto", "alice", false);

    assertThatThrownBy(() -> users.processUser("bob")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the task names the user bob, but this agent runs as alice, not root, and cannot switch users");
  }
}
