package dev.kos.bench.agent;

import dev.kos.agent.image.ImageCache;
import dev.kos.agent.image.OciLayoutWriter;
import dev.kos.model.ImageReference;
import dev.kos.bench.results.BenchResult;
import dev.kos.bench.results.Figure;
import dev.kos.bench.results.Machine;
import dev.kos.bench.results.ResultsWriter;
import dev.kos.bench.results.Versions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * How fast an agent turns an image into a root it can run: an OCI layout of {@code megabytes} of files (random
 * bytes, as binaries are: gzip gains nothing) in 3 gzip-compressed layers, unpacked by the agent's
 * {@link ImageCache} into an empty cache (cold: every blob verified, then unpacked) and asked for again (warm).
 * Each run uses a cache of its own; a run counts only if every byte of every file is on disk afterwards.
 *
 * <p>Usage: {@code ImageUnpackBench [megabytes=50] [runs=3]}
 */
public final class ImageUnpackBench {

  private static final int FILE_BYTES = 100 * 1024;
  private static final int LAYERS = 3;

  private ImageUnpackBench() {
  }

  public static void main(String[] args) throws Exception {
    int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Instant started = Instant.now();
    Machine machine = Machine.current();
    Path work = Files.createTempDirectory("kos-bench-image");
    try {
      int files = megabytes * 1024 * 1024 / FILE_BYTES;
      long contentBytes = (long) files * FILE_BYTES;
      OciLayoutWriter layout = OciLayoutWriter.layout(work.resolve("layout"));
      layout.add("bench", List.of("/bin/true"), layers(files));
      long layoutBytes = sizeOf(work.resolve("layout"));
      ImageReference reference = ImageReference.parse("oci:" + work.resolve("layout") + ":bench");

      List<List<Figure>> perRun = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        ImageCache cache = new ImageCache(work.resolve("cache-" + run), contentBytes * 2);
        long t0 = System.nanoTime();
        ImageCache.Unpacked cold = cache.rootOf(reference);
        long t1 = System.nanoTime();
        ImageCache.Unpacked warm = cache.rootOf(reference);
        long t2 = System.nanoTime();
        long onDisk = sizeOf(cold.rootfs());
        if (cold.cached() || !warm.cached() || onDisk != contentBytes) {
          throw new IllegalStateException("run " + run + " did not do the work it timed: " + onDisk + " bytes on disk of "
              + contentBytes + ", cold cached=" + cold.cached() + ", warm cached=" + warm.cached());
        }
        double coldSeconds = (t1 - t0) / 1e9;
        perRun.add(List.of(
            Figure.of("unpack rate, cold (verify + unpack)", contentBytes / 1e6 / coldSeconds, "MB/s"),
            Figure.of("cold: image ready", coldSeconds * 1000, "ms"),
            Figure.of("warm: image ready (cached)", (t2 - t1) / 1e6, "ms")));
        System.out.printf("run %d: %,d MB unpacked in %.2f s = %.0f MB/s; warm %.1f ms%n", run, contentBytes / 1_000_000,
            coldSeconds, contentBytes / 1e6 / coldSeconds, (t2 - t1) / 1e6);
      }
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("image", megabytes + " MiB of files (" + files + " x " + FILE_BYTES / 1024 + " KiB, random bytes) in "
          + LAYERS + " tar+gzip layers; the layout holds " + layoutBytes + " bytes");
      settings.put("runs", runs);
      List<Path> written = ResultsWriter.fromSystemProperty().write(new BenchResult("image-unpack", started, machine,
          Versions.current(), settings, Figure.medians(perRun), List.of(
              "Each run unpacks into an empty cache of its own; the figure is the median of the runs, each listed.",
              "Cold: every blob's sha256 is checked, then each layer is unpacked through the layer rules "
                  + "(docs/containers.md); warm: the manifest is read again and the cached root returned.")));
      written.forEach(path -> System.out.println("results: " + path));
    } finally {
      try (Stream<Path> paths = Files.walk(work)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static List<List<OciLayoutWriter.Entry>> layers(int files) {
    Random random = new Random(42);
    List<List<OciLayoutWriter.Entry>> layers = new ArrayList<>();
    for (int layer = 0; layer < LAYERS; layer++) {
      List<OciLayoutWriter.Entry> entries = new ArrayList<>();
      entries.add(OciLayoutWriter.Entry.dir("data" + layer + "/"));
      for (int file = layer; file < files; file += LAYERS) {
        byte[] content = new byte[FILE_BYTES];
        random.nextBytes(content);
        entries.add(OciLayoutWriter.Entry.file("data" + layer + "/f" + file, content, 0644));
      }
      layers.add(entries);
    }
    return layers;
  }

  private static long sizeOf(Path tree) throws IOException {
    try (Stream<Path> paths = Files.walk(tree)) {
      return paths.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
    }
  }
}
