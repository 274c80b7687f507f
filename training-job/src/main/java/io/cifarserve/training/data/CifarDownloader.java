package io.cifarserve.training.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads the official {@code cifar-10-binary.tar.gz}, checks its digest and unpacks it. Nothing
 * half-written is left behind: the archive and the unpacked files are written under temporary names
 * and moved into place only once complete and verified.
 */
public final class CifarDownloader {

  /** Where the CIFAR-10 authors publish the binary version. */
  public static final String OFFICIAL_URL =
      "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

  private static final Logger log = LoggerFactory.getLogger(CifarDownloader.class);

  private final int recordsPerFile;

  /**
   * @param recordsPerFile records each unpacked batch file must hold (10,000 for the real dataset)
   */
  public CifarDownloader(int recordsPerFile) {
    this.recordsPerFile = recordsPerFile;
  }

  public CifarDownloader() {
    this(CifarBinaryFormat.RECORDS_PER_FILE);
  }

  /**
   * Makes sure {@code dataDir/cifar-10-batches-bin} holds the dataset, downloading it if absent.
   *
   * @return the folder holding the batch files
   */
  public Path ensure(Path dataDir, URI url, Checksum checksum) {
    Path target = dataDir.resolve(CifarBinaryFormat.FOLDER);
    if (CifarBinaryFormat.isPresent(dataDir)) {
      log.info("CIFAR-10 already present in {}", target);
      return target;
    }
    Path archive = null;
    Path staging = null;
    try {
      Files.createDirectories(dataDir);
      archive = dataDir.resolve(".cifar-10-binary.tar.gz");
      log.info("downloading {}", url);
      ChecksummedDownload.fetch(url, archive, checksum);
      staging = Files.createTempDirectory(dataDir, ".cifar-10-unpacking-");
      unpack(archive, staging);
      Path unpacked = staging.resolve(CifarBinaryFormat.FOLDER);
      CifarBinaryFormat.read(unpacked, recordsPerFile); // validate every file before publishing
      Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
      log.info("CIFAR-10 unpacked into {}", target);
      return target;
    } catch (IOException e) {
      throw new DatasetException("downloading " + url + " failed: " + e.getMessage(), e);
    } finally {
      deleteQuietly(archive);
      deleteQuietly(staging);
    }
  }

  /** Unpacks the six batch files only; other entries are skipped, unsafe paths refused. */
  private static void unpack(Path archive, Path staging) throws IOException {
    Path root = staging.resolve(CifarBinaryFormat.FOLDER);
    Files.createDirectories(root);
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile()) {
          continue;
        }
        Path name = Path.of(entry.getName()).normalize();
        if (name.isAbsolute() || name.startsWith("..")) {
          throw new DatasetException(archive + ": refusing unsafe entry " + entry.getName());
        }
        String fileName = name.getFileName().toString();
        boolean wanted =
            CifarBinaryFormat.TRAIN_FILES.contains(fileName)
                || CifarBinaryFormat.TEST_FILE.equals(fileName);
        if (wanted) {
          Files.copy(tar, root.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new DatasetException(archive + ": not a valid tar.gz archive: " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path path) {
    if (path == null || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}: {}", path, e.getMessage());
    }
  }
}
