package dev.kos.cli.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.cli.common.UsageProblem;
import dev.kos.schema.AppSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileTest {

  @TempDir
  Path dir;

  @Test
  void shouldReadASpecWithTheSchemaDefaults() throws IOException {
    Path file = Files.writeString(dir.resolve("web.json"),
        "{\"id\": \"/web\", \"cmd\": \"sleep 1\", \"instances\": 3}");

    AppSpec spec = JsonFile.read(file.toString(), AppSpec.class);

    assertThat(spec.getId()).isEqualTo("/web");
    assertThat(spec.getInstances()).isEqualTo(3);
    assertThat(spec.getRole()).isEqualTo("*");
  }

  @Test
  void shouldReadAnAppsArtifactsAsTheReadmeWritesThem() throws IOException {
    Path file = Files.writeString(dir.resolve("web.json"), "{\"id\": \"/web\", \"cmd\": \"./serve\", "
        + "\"artifacts\": [{\"uri\": \"http://repo/serve\", \"executable\": true}, "
        + "{\"uri\": \"file:/srv/www.tgz\", \"extract\": true, \"destination\": \"www\", "
        + "\"sha256\": \"" + "a".repeat(64) + "\"}]}");

    AppSpec spec = JsonFile.read(file.toString(), AppSpec.class);

    assertThat(spec.getArtifacts()).hasSize(2);
    assertThat(spec.getArtifacts().get(0).getExecutable()).isTrue();
    assertThat(spec.getArtifacts().get(0).getSha256()).isNull();
    assertThat(spec.getArtifacts().get(1).getDestination()).isEqualTo("www");
    assertThat(spec.getArtifacts().get(1).getSha256()).isEqualTo("a".repeat(64));
  }

  @Test
  void shouldNameTheFieldThatDoesNotFit() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.json"), "{\"id\": \"/web\", \"instances\": \"three\"}");

    assertThatThrownBy(() -> JsonFile.read(file.toString(), AppSpec.class))
        .isInstanceOf(UsageProblem.class)
        .hasMessageContaining("not a valid AppSpec, nothing was sent")
        .hasMessageContaining("$.instances")
        .hasMessageContaining("\"three\"");
  }

  @Test
  void shouldSayWhichFileIsMissing() {
    assertThatThrownBy(() -> JsonFile.read(dir.resolve("nope.json").toString(), AppSpec.class))
        .isInstanceOf(UsageProblem.class)
        .hasMessageStartingWith("no such file: ");
  }
}
