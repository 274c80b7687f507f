package io.cifarserve.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.cifarserve.training.testing.SyntheticCifar;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real HTTP server on 127.0.0.1 serving a CIFAR-format archive made here. */
class CifarDownloaderTest {

  private static final int RECORDS = 10;

  @TempDir Path dir;
  private HttpServer server;
  private byte[] served;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void serve() throws Exception {
    served = archive();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/cifar-10-binary.tar.gz",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, served.length);
          exchange.getResponseBody().write(served);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
  }

  private static byte[] archive() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      int seed = 0;
      for (String name :
          Stream.concat(
                  CifarBinaryFormat.TRAIN_FILES.stream(), Stream.of(CifarBinaryFormat.TEST_FILE))
              .toList()) {
        byte[] content = SyntheticCifar.batchFile(RECORDS, seed++);
        TarArchiveEntry entry = new TarArchiveEntry("cifar-10-batches-bin/" + name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
      byte[] readme = "readme".getBytes();
      TarArchiveEntry entry = new TarArchiveEntry("cifar-10-batches-bin/readme.html");
      entry.setSize(readme.length);
      tar.putArchiveEntry(entry);
      tar.write(readme);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private Checksum md5Of(byte[] content) throws Exception {
    return Checksum.parse(
        "md5:" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)));
  }

  @Test
  void downloadsVerifiesAndUnpacks() throws Exception {
    Path folder = new CifarDownloader(RECORDS).ensure(dir, url(), md5Of(served));

    assertThat(folder).isEqualTo(dir.resolve("cifar-10-batches-bin"));
    CifarSplit split = CifarBinaryFormat.read(dir, RECORDS);
    assertThat(split.train().size()).isEqualTo(50);
    assertThat(folder.resolve("readme.html")).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void acceptsSha256Too() throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(served));

    new CifarDownloader(RECORDS).ensure(dir, url(), Checksum.parse("sha256:" + sha));

    assertThat(CifarBinaryFormat.isPresent(dir)).isTrue();
  }

  @Test
  void skipsTheDownloadWhenTheDataIsAlreadyThere() throws Exception {
    new CifarDownloader(RECORDS).ensure(dir, url(), md5Of(served));
    new CifarDownloader(RECORDS).ensure(dir, url(), md5Of(served));

    assertThat(requests).hasValue(1);
  }

  @Test
  void refusesAChecksumMismatchAndLeavesNothingBehind() {
    Checksum wrong = Checksum.parse("md5:00000000000000000000000000000000");

    assertThatThrownBy(() -> new CifarDownloader(RECORDS).ensure(dir, url(), wrong))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("checksum mismatch");
    assertThat(dir.resolve("cifar-10-batches-bin")).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void refusesACorruptArchiveAndLeavesNothingBehind() throws Exception {
    served = Arrays.copyOf(served, served.length / 2);

    assertThatThrownBy(() -> new CifarDownloader(RECORDS).ensure(dir, url(), md5Of(served)))
        .isInstanceOf(DatasetException.class);
    assertThat(dir.resolve("cifar-10-batches-bin")).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  private java.util.List<Path> leftovers() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> !p.getFileName().toString().equals("cifar-10-batches-bin")).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
