package io.cifarserve.training.testing;

import io.cifarserve.common.Cifar10;
import io.cifarserve.training.data.CifarBinaryFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Small CIFAR-format datasets for tests: each class is a distinct colour with noise, so a network
 * can learn it in a few epochs. Written in the official binary layout.
 */
public final class SyntheticCifar {

  private SyntheticCifar() {}

  /** Colour of class {@code c}: hue spread around the circle, two brightness levels. */
  static int[] colourOf(int c) {
    java.awt.Color colour = java.awt.Color.getHSBColor(c / 5f, 0.9f, c % 2 == 0 ? 0.95f : 0.5f);
    return new int[] {colour.getRed(), colour.getGreen(), colour.getBlue()};
  }

  /** One record: label byte then 3072 planar pixel bytes. */
  public static byte[] record(int label, Random random) {
    byte[] record = new byte[CifarBinaryFormat.RECORD_BYTES];
    record[0] = (byte) label;
    int[] colour = colourOf(label);
    for (int ch = 0; ch < 3; ch++) {
      for (int i = 0; i < 1024; i++) {
        int value = colour[ch] + (int) Math.round(random.nextGaussian() * 20);
        record[1 + ch * 1024 + i] = (byte) Math.max(0, Math.min(255, value));
      }
    }
    return record;
  }

  /** A batch file of {@code records} records, classes in round-robin order. */
  public static byte[] batchFile(int records, long seed) {
    Random random = new Random(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int r = 0; r < records; r++) {
      out.writeBytes(record(r % Cifar10.LABELS.size(), random));
    }
    return out.toByteArray();
  }

  /**
   * Writes {@code dir/cifar-10-batches-bin/} with five training files and one test file.
   *
   * @return the data directory
   */
  public static Path write(Path dir, int recordsPerFile) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(CifarBinaryFormat.FOLDER));
    int seed = 0;
    for (String name : CifarBinaryFormat.TRAIN_FILES) {
      Files.write(folder.resolve(name), batchFile(recordsPerFile, seed++));
    }
    Files.write(folder.resolve(CifarBinaryFormat.TEST_FILE), batchFile(recordsPerFile, 99));
    return dir;
  }
}
