package io.drctl.benchmarks;

import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupKeys;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.local.LocalObjectStore;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.store.pipeline.Compression;
import io.drctl.store.pipeline.StoringPipeline;
import io.drctl.testing.S3ProxyProcess;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Throughput and heap of the backup store's streaming pipeline (zstd with its frame checksum,
 * SHA-256 of the stored bytes, upload) against raw baselines measured in the same run on the same
 * file:
 *
 * <ul>
 *   <li>writing: {@code cat FILE > /dev/null}, {@code zstd -T2 -3 FILE -c > /dev/null} (the goal's
 *       baseline) and {@code zstd -T2 -3 FILE -o OUT} followed by {@code sync OUT} (a durable file,
 *       which the local store also writes and fsyncs), against {@code BackupCatalog.write} of the
 *       file to a local store and to S3Proxy (a child JVM on this machine, filesystem backend),
 *       and, to split the cost, zstd-jni alone, SHA-256 alone and the store's pipeline (zstd and
 *       the stored SHA-256 on their threads) into /dev/null;
 *   <li>reading: {@code cat STORED > /dev/null} and {@code zstd -d STORED -c > /dev/null}, against
 *       {@code BackupCatalog.open} (download, decompress, stored SHA-256 and frame checksum) read
 *       to the end, and {@code BackupCatalog.verify} (the same, recording CHECKSUM_OK).
 * </ul>
 *
 * Each round measures every contender once, interleaved, so that noise from the shared machine hits
 * all of them alike; the report gives the median and range per contender. Run it with {@code
 * -Xmx256m} (as {@code benchmarks/run store} does): the highest sampled heap use during our streams
 * is reported against that limit.
 *
 * <p>Options: {@code --size-mb N} (default 2048), {@code --rounds N} (default 3), {@code --dir DIR}
 * (default {@code benchmarks/target/store-bench}; needs about three times the size free).
 */
public final class StoreBenchmark {
  private static final String ZSTD_WRITE = "write: zstd -T2 -3 FILE -c > /dev/null";
  private static final String ZSTD_FILE_WRITE =
      "write: zstd -T2 -3 FILE -o OUT, then sync OUT (a durable file, as the store writes)";
  private static final String ZSTD_READ = "read: zstd -T2 -d STORED -c > /dev/null";
  private static final String PIPELINE =
      "write part: drctl pipeline to /dev/null (zstd+sha256 of stored, no store)";
  private static final String LOCAL_WRITE = "write: drctl store, local (zstd+sha256+fsync)";
  private static final String S3_WRITE = "write: drctl store, S3Proxy (zstd+sha256+multipart)";
  private static final String LOCAL_READ =
      "read: drctl store, local (unzstd+frame checksum+sha256)";
  private static final String LOCAL_VERIFY =
      "read: drctl verify, local (unzstd+frame checksum+sha256)";
  private static final String S3_READ =
      "read: drctl store, S3Proxy (ranged GETs+unzstd+frame checksum+sha256)";

  private final long sizeBytes;
  private final int rounds;
  private final Path dir;
  private final Map<String, List<Double>> seconds = new LinkedHashMap<>();

  /**
   * CPU seconds (user + system) of each contender: this JVM's, plus its child processes' for shell
   * commands.
   */
  private final Map<String, List<Double>> cpuSeconds = new LinkedHashMap<>();

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();
  private double childCpu;
  private final Map<String, Long> peakHeap = new LinkedHashMap<>();
  private final HeapSampler heap = new HeapSampler();

  private StoreBenchmark(long sizeBytes, int rounds, Path dir) {
    this.sizeBytes = sizeBytes;
    this.rounds = rounds;
    this.dir = dir;
  }

  public static void main(String[] args) throws Exception {
    long sizeMb = 2048;
    int rounds = 3;
    Path dir = Path.of("benchmarks/target/store-bench");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--size-mb" -> sizeMb = Long.parseLong(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> {
          System.err.println(
              "unknown option " + args[i] + "; options: --size-mb N, --rounds N, --dir DIR");
          System.exit(2);
        }
      }
    }
    new StoreBenchmark(sizeMb * 1024 * 1024, rounds, dir).run();
  }

  private void run() throws Exception {
    Files.createDirectories(dir);
    Path input = input();
    System.out.printf(
        Locale.ROOT,
        "# Store benchmark: %d MB input, %d rounds, heap limit %d MB, %d cores%n",
        sizeBytes >> 20,
        rounds,
        heap.limit() >> 20,
        Runtime.getRuntime().availableProcessors());
    shell("cat '" + input + "' > /dev/null"); // page cache warm-up, not measured
    try (S3ProxyProcess s3 = S3ProxyProcess.start(dir.resolve("s3proxy"))) {
      StoreConfig s3Config =
          StoreConfig.pathStyleS3(
              s3.createBucket("bench"),
              s3.endpoint(),
              s3.credentials().accessKeyId(),
              s3.credentials().secretAccessKey());
      for (int round = 1; round <= rounds; round++) {
        round(round, input, s3Config);
        System.out.println("round " + round + " done");
      }
    }
    report();
    heap.close();
  }

  private void round(int round, Path input, StoreConfig s3Config) throws Exception {
    measure("write: cat FILE > /dev/null", () -> shell("cat '" + input + "' > /dev/null"));
    measure(ZSTD_WRITE, () -> shell("zstd -q -T2 -3 '" + input + "' -c > /dev/null"));
    Path zstdOut = dir.resolve("zstd-out.zst");
    measure(
        ZSTD_FILE_WRITE,
        () ->
            shell(
                "zstd -q -f -T2 -3 '"
                    + input
                    + "' -o '"
                    + zstdOut
                    + "' && sync '"
                    + zstdOut
                    + "'"));
    Files.deleteIfExists(zstdOut);
    measure(
        "write part: zstd-jni level 3, 2 workers, in the JVM, no hashing", () -> zstdJni(input));
    measure(
        "write part: zstd-jni ZstdCompressCtx level 3, 2 workers, 2 MiB chunks (as the pipeline)",
        () -> zstdCtx(input));
    measure("write part: SHA-256 of the raw file in the JVM", () -> sha256(input));
    measureOurs(PIPELINE, () -> pipelineOnly(input));
    Path localRoot = dir.resolve("local");
    try (LocalObjectStore local = new LocalObjectStore(localRoot);
        ObjectStore remote = ObjectStores.open(s3Config)) {
      BackupCatalog localCatalog = new BackupCatalog(local);
      BackupCatalog s3Catalog = new BackupCatalog(remote);
      BackupMetadata[] written = new BackupMetadata[2];
      String id = "bench_" + round;
      measureOurs(LOCAL_WRITE, () -> written[0] = write(localCatalog, id, input));
      measureOurs(S3_WRITE, () -> written[1] = write(s3Catalog, id, input));
      Path stored = localRoot.resolve(BackupKeys.dataKey(written[0]));
      measure("read: cat STORED > /dev/null", () -> shell("cat '" + stored + "' > /dev/null"));
      measure(ZSTD_READ, () -> shell("zstd -q -T2 -d '" + stored + "' -c > /dev/null"));
      measureOurs(LOCAL_READ, () -> readAll(localCatalog, written[0]));
      measureOurs(LOCAL_VERIFY, () -> localCatalog.verify(written[0]));
      measureOurs(S3_READ, () -> readAll(s3Catalog, written[1]));
      if (round == 1) {
        System.out.printf(
            Locale.ROOT,
            "stored %d MB of %d MB raw (ratio %.2f)%n",
            written[0].sizeBytes() >> 20,
            written[0].rawSizeBytes() >> 20,
            (double) written[0].rawSizeBytes() / written[0].sizeBytes());
      }
      localCatalog.delete(written[0]);
      s3Catalog.delete(written[1]);
    }
  }

  private interface Work {
    void run() throws Exception;
  }

  private void measure(String name, Work work) throws Exception {
    double children = childCpu;
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    work.run();
    seconds.computeIfAbsent(name, k -> new ArrayList<>()).add((System.nanoTime() - start) / 1e9);
    cpuSeconds
        .computeIfAbsent(name, k -> new ArrayList<>())
        .add((os.getProcessCpuTime() - cpu) / 1e9 + childCpu - children);
  }

  private void measureOurs(String name, Work work) throws Exception {
    System.gc();
    heap.reset();
    measure(name, work);
    peakHeap.merge(name, heap.maxUsed(), Math::max);
  }

  private static void zstdJni(Path input) throws IOException {
    try (InputStream in = Files.newInputStream(input);
        com.github.luben.zstd.ZstdOutputStreamNoFinalizer out =
            new com.github.luben.zstd.ZstdOutputStreamNoFinalizer(
                OutputStream.nullOutputStream())) {
      out.setLevel(3);
      out.setWorkers(2);
      out.setChecksum(true);
      copy(in, out);
    }
  }

  /** zstd as {@code StoringPipeline} drives it: whole chunks into {@code ZstdCompressCtx}. */
  private static void zstdCtx(Path input) throws IOException {
    try (InputStream in = Files.newInputStream(input);
        com.github.luben.zstd.ZstdCompressCtx ctx = new com.github.luben.zstd.ZstdCompressCtx()) {
      ctx.setLevel(3);
      ctx.setWorkers(2);
      ctx.setChecksum(true);
      byte[] chunk = new byte[2 << 20];
      java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(2 << 20);
      for (int n; (n = in.readNBytes(chunk, 0, chunk.length)) > 0; ) {
        java.nio.ByteBuffer src = java.nio.ByteBuffer.wrap(chunk, 0, n);
        while (src.hasRemaining()) {
          ctx.compressByteBufferStream(out, src, com.github.luben.zstd.EndDirective.CONTINUE);
          out.clear();
        }
      }
      while (!ctx.compressByteBufferStream(
          out, java.nio.ByteBuffer.allocate(0), com.github.luben.zstd.EndDirective.END)) {
        out.clear();
      }
    }
  }

  /** The store's write pipeline alone: what a store adds (file system, fsync, S3) is left out. */
  private static void pipelineOnly(Path input) throws IOException {
    StoringPipeline pipeline =
        new StoringPipeline(Compression.ZSTD, 3, OutputStream.nullOutputStream());
    try (InputStream in = Files.newInputStream(input)) {
      pipeline.writeFrom(in);
      pipeline.finish();
    } finally {
      pipeline.discard();
    }
  }

  private static void sha256(Path input) throws Exception {
    java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(input)) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    digest.digest();
  }

  private static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[1 << 20];
    for (int n; (n = in.read(buffer)) > 0; ) {
      out.write(buffer, 0, n);
    }
  }

  private static BackupMetadata write(BackupCatalog catalog, String id, Path input)
      throws IOException {
    BackupRequest request =
        BackupRequest.of("postgresql", BackupType.MANUAL, "dump")
            .withBackupId(id)
            .withCompression(Compression.ZSTD, 3);
    try (InputStream in = Files.newInputStream(input)) {
      return catalog.write(request, in);
    }
  }

  private static void readAll(BackupCatalog catalog, BackupMetadata backup) throws IOException {
    try (InputStream in = catalog.open(backup)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private void report() {
    double zstdWrite = Spread.of(seconds.get(ZSTD_WRITE)).median();
    double zstdRead = Spread.of(seconds.get(ZSTD_READ)).median();
    System.out.println();
    System.out.println(
        "| contender | seconds, median (min–max) | MB/s of raw data | vs zstd -T2 | CPU seconds, median | peak heap |");
    System.out.println("|---|---|---|---|---|---|");
    for (Map.Entry<String, List<Double>> entry : seconds.entrySet()) {
      Spread spread = Spread.of(entry.getValue());
      Long peak = peakHeap.get(entry.getKey());
      double baselineFor = entry.getKey().startsWith("read") ? zstdRead : zstdWrite;
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.0f | %+.0f%% | %.2f | %s |%n",
          entry.getKey(),
          spread.format("%.2f"),
          (sizeBytes / 1048576.0) / spread.median(),
          (spread.median() / baselineFor - 1) * 100,
          Spread.of(cpuSeconds.get(entry.getKey())).median(),
          peak == null ? "" : (peak >> 20) + " MB");
    }
    System.out.println();
    System.out.println("| ratio, per round | median (min–max) | goal | rounds |");
    System.out.println("|---|---|---|---|");
    goal("local write ÷ zstd -T2 -3", LOCAL_WRITE, ZSTD_WRITE, 1.15);
    goal("local write ÷ zstd -T2 -3 to a synced file", LOCAL_WRITE, ZSTD_FILE_WRITE, Double.NaN);
    goal("pipeline alone ÷ zstd -T2 -3", PIPELINE, ZSTD_WRITE, Double.NaN);
    goal("local read ÷ zstd -T2 -d", LOCAL_READ, ZSTD_READ, 1.05);
    goal("local verify ÷ zstd -T2 -d", LOCAL_VERIFY, ZSTD_READ, 1.05);
    goal("S3 write ÷ local write", S3_WRITE, LOCAL_WRITE, 1.30);
    goal("S3 read ÷ local read", S3_READ, LOCAL_READ, 1.30);
    goal("S3 write ÷ zstd -T2 -3", S3_WRITE, ZSTD_WRITE, Double.NaN);
    goal("S3 read ÷ zstd -T2 -d", S3_READ, ZSTD_READ, Double.NaN);
    System.out.println();
    System.out.println("CPU (user + system; S3Proxy's own CPU not included), ratio per round:");
    System.out.println();
    System.out.println("| ratio, per round | median (min–max) | goal | rounds |");
    System.out.println("|---|---|---|---|");
    goal("CPU: local write ÷ zstd -T2 -3", LOCAL_WRITE, ZSTD_WRITE, Double.NaN, cpuSeconds);
    goal("CPU: pipeline alone ÷ zstd -T2 -3", PIPELINE, ZSTD_WRITE, Double.NaN, cpuSeconds);
    goal("CPU: local read ÷ zstd -T2 -d", LOCAL_READ, ZSTD_READ, Double.NaN, cpuSeconds);
    goal("CPU: local verify ÷ zstd -T2 -d", LOCAL_VERIFY, ZSTD_READ, Double.NaN, cpuSeconds);
  }

  /** One ratio a round of {@code ours} to {@code baseline}, printed and recorded. */
  private void goal(String figure, String ours, String baseline, double limit) {
    goal(figure, ours, baseline, limit, seconds);
  }

  private void goal(
      String figure,
      String ours,
      String baseline,
      double limit,
      Map<String, List<Double>> measured) {
    List<Double> a = measured.get(ours);
    List<Double> b = measured.get(baseline);
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      ratios.add(a.get(i) / b.get(i));
    }
    BenchmarkResults.ratio("store", figure, ratios, limit);
    Spread spread = Spread.of(ratios);
    String verdict =
        Double.isNaN(limit)
            ? ""
            : String.format(
                Locale.ROOT, "≤ %.2f: %s", limit, spread.median() <= limit ? "met" : "**not met**");
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %s | %s |%n",
        figure,
        spread.format("%.2f"),
        verdict,
        String.join(
            ", ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()));
  }

  /** The input: 1 MiB blocks alternating random bytes and log-like text, so zstd has work to do. */
  private Path input() throws IOException {
    Path file = dir.resolve("input-" + (sizeBytes >> 20) + "mb.bin");
    if (Files.exists(file) && Files.size(file) == sizeBytes) {
      return file;
    }
    Random random = new Random(42);
    byte[][] blocks = new byte[32][];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = i % 2 == 0 ? randomBlock(random) : textBlock(random);
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      long left = sizeBytes;
      for (int i = 0; left > 0; i++) {
        byte[] block = blocks[(i * 7 + i / blocks.length) % blocks.length];
        int n = (int) Math.min(block.length, left);
        out.write(block, 0, n);
        left -= n;
      }
    }
    return file;
  }

  private static byte[] randomBlock(Random random) {
    byte[] block = new byte[1 << 20];
    random.nextBytes(block);
    return block;
  }

  private static byte[] textBlock(Random random) {
    String[] paths = {
      "/api/system/health/", "/api/chat/messages/", "/api/users/", "/api/lessons/", "/ws/chat/"
    };
    String[] levels = {"INFO", "INFO", "INFO", "WARN", "DEBUG"};
    StringBuilder text = new StringBuilder(1 << 20);
    while (text.length() < (1 << 20)) {
      text.append(
          String.format(
              Locale.ROOT,
              "2025-12-27T%02d:%02d:%02d.%03dZ %s backend request_id=%08x user=%d path=%s status=%d duration_ms=%d%n",
              random.nextInt(24),
              random.nextInt(60),
              random.nextInt(60),
              random.nextInt(1000),
              levels[random.nextInt(levels.length)],
              random.nextInt(),
              random.nextInt(100_000),
              paths[random.nextInt(paths.length)],
              random.nextInt(10) == 0 ? 500 : 200,
              random.nextInt(2000)));
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
    return java.util.Arrays.copyOf(bytes, 1 << 20);
  }

  /**
   * Runs {@code command} under {@code /usr/bin/time}, adding its CPU seconds to {@link #childCpu}.
   */
  private void shell(String command) throws IOException, InterruptedException {
    Path times = Files.createTempFile(dir, "time", ".txt");
    try {
      Process process =
          new ProcessBuilder(
                  "/usr/bin/time", "-f", "%U %S", "-o", times.toString(), "sh", "-c", command)
              .inheritIO()
              .start();
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IOException("'" + command + "' exited with " + exit);
      }
      String[] parts = Files.readString(times).trim().split("\\s+");
      childCpu +=
          Double.parseDouble(parts[parts.length - 2]) + Double.parseDouble(parts[parts.length - 1]);
    } finally {
      Files.deleteIfExists(times);
    }
  }
}
