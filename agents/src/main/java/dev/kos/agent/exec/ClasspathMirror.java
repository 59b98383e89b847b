package dev.kos.agent.exec;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own Java classpath, readable by every task user: {@code WORKDIR/lib/DIGEST/}, one entry per entry of
 * the agent's classpath, in its order. A task that runs as another user than the agent's gets its path list as
 * {@value #ENV}, so that the built-in frameworks' JVM tasks (the demo's services, Kafka brokers), which run kos's own
 * classes, can run them as {@code nobody} even where kos's jars sit in a directory only root may enter (a checkout
 * or a Maven repository under /root). A jar others may read is hard-linked (no copy: the same bytes, still the
 * agent's, read-only to the task), one they may not read is copied and made readable, a directory of classes is
 * copied, {@code DIR/*} (every jar of a directory) becomes a directory of its jars so placed; an entry that does not
 * exist is left out, as the JVM ignores it. Built once per agent run, on the first task that needs it, into a
 * directory of its own renamed into place, so it is whole or absent; a classpath that changed (another kos version)
 * gets another directory, and one a running task may still use is never deleted.
 *
 * <p>A task may bring a classpath of its own in {@value #ENV} (the jars of a Spark job, which the agent's classpath
 * does not hold: {@link dev.kos.model.CommandSpec#jvm}); run as another user, it gets that classpath mirrored the
 * same way into its own sandbox ({@link #forTask}), which only its user may enter: what the agent reads for it (as
 * for a {@code file:} artifact) reaches no one else.
 */
public final class ClasspathMirror {
  /** The variable a task run as another user finds the mirrored classpath in. */
  public static final String ENV = dev.kos.model.CommandSpec.CLASSPATH_ENV;
  private static final Logger log = LoggerFactory.getLogger(ClasspathMirror.class);
  private static final String COMPLETE = ".complete";

  /** How an entry of the classpath reaches the mirror. */
  public enum Placement { LINK, COPY, TREE, JARS, SKIP }

  /** The suffix of a classpath entry that stands for every jar of a directory ({@code lib/*}), as the JVM has it. */
  static final String WILDCARD = File.separator + "*";

  /**
   * An entry of the classpath as the disk has it.
   *
   * @param wildcard {@code DIR/*}: every jar in {@code DIR} ({@code path} is then the directory, {@code directory}
   *     whether it is one)
   */
  public record Entry(String path, boolean file, boolean directory, boolean othersRead, boolean wildcard) {
    public Entry(String path, boolean file, boolean directory, boolean othersRead) {
      this(path, file, directory, othersRead, false);
    }
  }

  /** An entry's placement and its name in the mirror ({@code NNN-NAME}, so that order and clashes are kept). */
  public record Planned(Entry entry, Placement placement, String name) {
  }

  private final Path root;
  private final String classpath;
  private String mirrored;

  /**
   * @param root where mirrors go ({@code WORKDIR/lib})
   * @param classpath the agent's classpath, as {@code java.class.path} has it
   */
  public ClasspathMirror(Path root, String classpath) {
    this.root = root;
    this.classpath = classpath;
  }

  /** The agent's own: this JVM's classpath, mirrored under {@code workDir/lib}. */
  public static ClasspathMirror ofThisJvm(Path workDir) {
    return new ClasspathMirror(workDir.resolve("lib"), System.getProperty("java.class.path", ""));
  }

  /** A task's own classpath ({@value #ENV} in its environment), mirrored into its sandbox's {@code dir}. */
  public static ClasspathMirror forTask(Path dir, String classpath) {
    return new ClasspathMirror(dir, classpath);
  }

  /** Where each entry goes (pure). */
  public static List<Planned> plan(List<Entry> entries) {
    List<Planned> planned = new ArrayList<>();
    int index = 0;
    for (Entry entry : entries) {
      Placement placement = entry.wildcard() ? (entry.directory() ? Placement.JARS : Placement.SKIP)
          : entry.directory() ? Placement.TREE
          : !entry.file() ? Placement.SKIP
          : entry.othersRead() ? Placement.LINK : Placement.COPY;
      String base = Path.of(entry.path()).getFileName() == null ? "root" : Path.of(entry.path()).getFileName()
          .toString();
      planned.add(new Planned(entry, placement, placement == Placement.SKIP ? null
          : String.format("%03d-%s", index++, base)));
    }
    return planned;
  }

  /** The mirrored classpath (absolute paths joined by ':'), built on the first call. */
  public synchronized String classpath() throws IOException {
    if (mirrored == null) {
      mirrored = build();
    }
    return mirrored;
  }

  private String build() throws IOException {
    List<Planned> planned = plan(Arrays.stream(classpath.split(File.pathSeparator))
        .filter(path -> !path.isBlank())
        .map(ClasspathMirror::entry)
        .toList());
    Path dir = root.resolve(digest(classpath));
    if (!Files.exists(dir.resolve(COMPLETE))) {
      Files.createDirectories(root);
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path building = root.resolve(dir.getFileName() + ".building-" + UUID.randomUUID());
      Files.createDirectory(building);
      long started = System.nanoTime();
      for (Planned entry : planned.stream().filter(entry -> entry.placement() != Placement.SKIP).toList()) {
        place(entry, building.resolve(entry.name()));
      }
      Files.createFile(building.resolve(COMPLETE));
      Files.setPosixFilePermissions(building, PosixFilePermissions.fromString("rwxr-xr-x"));
      deleteTree(dir);
      try {
        Files.move(building, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        deleteTree(building); // built meanwhile by another run on this work dir
      }
      log.info("mirrored a classpath ({} entries) into {} for tasks run as other users in {} ms",
          planned.size(), dir, (System.nanoTime() - started) / 1_000_000);
    }
    return planned.stream().filter(entry -> entry.placement() != Placement.SKIP)
        .map(entry -> dir.resolve(entry.name()) + (entry.placement() == Placement.JARS ? WILDCARD : ""))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static void place(Planned planned, Path target) throws IOException {
    Path source = Path.of(planned.entry().path());
    switch (planned.placement()) {
      case LINK -> {
        try {
          Files.createLink(target, source.toRealPath());
        } catch (IOException | UnsupportedOperationException e) {
          copyReadable(source, target); // another file system
        }
      }
      case COPY -> copyReadable(source, target);
      case TREE -> copyTree(source, target);
      case JARS -> linkJars(source, target);
      case SKIP -> {
      }
    }
  }

  /** The jars of a directory ({@code DIR/*}: its files named *.jar or *.JAR, as the JVM takes them), each as a jar. */
  private static void linkJars(Path source, Path target) throws IOException {
    Files.createDirectories(target);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Stream<Path> files = Files.list(source)) {
      for (Path jar : files.filter(file -> file.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
          .endsWith(".jar")).filter(Files::isRegularFile).sorted().toList()) {
        Entry entry = entry(jar.toString());
        place(new Planned(entry, entry.othersRead() ? Placement.LINK : Placement.COPY, null),
            target.resolve(jar.getFileName().toString()));
      }
    }
  }

  private static void copyReadable(Path source, Path target) throws IOException {
    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
  }

  /** A directory of classes, its files readable; symlinks are not followed, they are left out. */
  private static void copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : paths.toList()) {
        Path to = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
          copyReadable(path, to);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Entry entry(String path) {
    if (path.endsWith(WILDCARD) || path.equals("*")) {
      Path dir = Path.of(path.substring(0, path.length() - 1)).toAbsolutePath();
      return new Entry(dir.toString(), false, Files.isDirectory(dir), false, true);
    }
    Path file = Path.of(path).toAbsolutePath();
    boolean othersRead;
    try {
      othersRead = Files.isRegularFile(file)
          && Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ);
    } catch (IOException | UnsupportedOperationException e) {
      othersRead = false;
    }
    return new Entry(file.toString(), Files.isRegularFile(file), Files.isDirectory(file), othersRead);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static String digest(String classpath) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(classpath.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
