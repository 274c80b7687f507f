package io.cifarserve.training.data;

import io.cifarserve.common.Cifar10;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The official CIFAR-10 binary format: {@code data_batch_1.bin} .. {@code data_batch_5.bin} and
 * {@code test_batch.bin}, each 10,000 records of one label byte and 3072 pixel bytes.
 */
public final class CifarBinaryFormat {

  public static final String FOLDER = "cifar-10-batches-bin";
  public static final List<String> TRAIN_FILES =
      List.of(
          "data_batch_1.bin",
          "data_batch_2.bin",
          "data_batch_3.bin",
          "data_batch_4.bin",
          "data_batch_5.bin");
  public static final String TEST_FILE = "test_batch.bin";
  public static final int IMAGE_BYTES = LabeledImages.bytesPerImage(Cifar10.IMAGE_SIZE);
  public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
  public static final int RECORDS_PER_FILE = 10_000;

  private CifarBinaryFormat() {}

  /** The folder holding the batch files: {@code dir} itself or its {@value #FOLDER}. */
  public static Path batchesFolder(Path dir) {
    Path nested = dir.resolve(FOLDER);
    return Files.isRegularFile(nested.resolve(TEST_FILE)) ? nested : dir;
  }

  public static boolean isPresent(Path dir) {
    return Files.isRegularFile(batchesFolder(dir).resolve(TEST_FILE));
  }

  /**
   * Reads all six files.
   *
   * @param recordsPerFile records each file must hold: {@value #RECORDS_PER_FILE} for the real
   *     dataset; tests use smaller files
   */
  public static CifarSplit read(Path dir, int recordsPerFile) {
    Path folder = batchesFolder(dir);
    List<Path> trainFiles = new ArrayList<>();
    for (String name : TRAIN_FILES) {
      trainFiles.add(folder.resolve(name));
    }
    LabeledImages train = readFiles(trainFiles, recordsPerFile);
    LabeledImages test = readFiles(List.of(folder.resolve(TEST_FILE)), recordsPerFile);
    return new CifarSplit(train, test, "CIFAR-10 binary files in " + folder);
  }

  /** Reads the test file alone, whatever its record count. */
  public static LabeledImages readTest(Path dir) {
    return readFiles(List.of(batchesFolder(dir).resolve(TEST_FILE)), -1);
  }

  /** Reads the files whatever their record count, checking only that records are whole. */
  public static CifarSplit read(Path dir) {
    return read(dir, -1);
  }

  static LabeledImages readFiles(List<Path> files, int recordsPerFile) {
    List<byte[]> contents = new ArrayList<>();
    int records = 0;
    for (Path file : files) {
      byte[] bytes = readChecked(file, recordsPerFile);
      contents.add(bytes);
      records += bytes.length / RECORD_BYTES;
    }
    byte[] pixels = new byte[records * IMAGE_BYTES];
    int[] labels = new int[records];
    int next = 0;
    for (int f = 0; f < files.size(); f++) {
      byte[] bytes = contents.get(f);
      for (int r = 0; r < bytes.length / RECORD_BYTES; r++) {
        int label = bytes[r * RECORD_BYTES] & 0xFF;
        if (label >= Cifar10.LABELS.size()) {
          throw new DatasetException(
              "%s: record %d has label %d; CIFAR-10 labels are 0-9"
                  .formatted(files.get(f), r, label));
        }
        labels[next] = label;
        System.arraycopy(bytes, r * RECORD_BYTES + 1, pixels, next * IMAGE_BYTES, IMAGE_BYTES);
        next++;
      }
    }
    return new LabeledImages(pixels, labels, Cifar10.IMAGE_SIZE);
  }

  private static byte[] readChecked(Path file, int recordsPerFile) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(file + ": missing; expected the CIFAR-10 binary batch files");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot be read: " + e.getMessage(), e);
    }
    if (bytes.length == 0 || bytes.length % RECORD_BYTES != 0) {
      throw new DatasetException(
          "%s: %d bytes is not a whole number of %d-byte records; the file is truncated or not CIFAR-10"
              .formatted(file, bytes.length, RECORD_BYTES));
    }
    if (recordsPerFile > 0 && bytes.length != recordsPerFile * RECORD_BYTES) {
      throw new DatasetException(
          "%s: holds %d records, expected %d"
              .formatted(file, bytes.length / RECORD_BYTES, recordsPerFile));
    }
    return bytes;
  }
}
