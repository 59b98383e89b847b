package dev.kos.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskUserTest {

  @Test
  void shouldReadAPasswdLine() {
    assertThat(TaskUser.fromPasswd("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin"))
        .isEqualTo(new TaskUser("nobody", 65534, 65534));
  }

  @Test
  void shouldDropTheTaskToTheUsersIdsAndGroups() {
    assertThat(new TaskUser("web", 1001, 1002).commandLine(List.of("/bin/sh", "-c", "serve")))
        .containsExactly("/usr/bin/setpriv", "--reuid=1001", "--regid=1002", "--init-groups", "--", "/bin/sh", "-c",
            "serve");
  }

  @Test
  void shouldRefuseANameThatIsNoUserName() {
    assertThatThrownBy(() -> TaskUser.lookup("-x; rm -rf /")).isInstanceOf(IOException.class)
        .hasMessage("\"-x; rm -rf /\" is not a user name");
  }
}
