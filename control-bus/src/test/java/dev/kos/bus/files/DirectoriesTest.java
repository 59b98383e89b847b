package dev.kos.bus.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {

  @TempDir
  Path temp;

  @Test
  void shouldDeleteATreeWithItsFilesAndSubdirectories() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root/a/b"));
    Files.writeString(root.resolve("file"), "x");
    Files.writeString(temp.resolve("root/top"), "y");

    Directories.deleteTree(temp.resolve("root"));

    assertThat(temp.resolve("root")).doesNotExist();
    assertThat(temp).exists();
  }

  @Test
  void shouldSayNothingWhenQuietlyDeletingWhatIsGoneAlready() {
    assertThat(Directories.deleteTreeQuietly(temp.resolve("never-made"))).isEmpty();
  }

  @Test
  void shouldDeleteAPlainFileGivenInsteadOfADirectory() throws Exception {
    Path file = Files.writeString(temp.resolve("plain"), "z");

    assertThat(Directories.deleteTreeQuietly(file)).isEmpty();
    assertThat(file).doesNotExist();
  }
}
