package io.cifarserve.training.data;

import io.cifarserve.classifier.image.ImageDecoder;
import io.cifarserve.classifier.image.ImageDecodingException;
import io.cifarserve.classifier.image.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Pictures of things that are none of the classes, for outlier exposure: each training batch gets
 * random square crops of them (random position, a side of {@value #MIN_CROP_FRACTION} to 1 times
 * the picture's shorter side, mirrored half the time), resized to the input size through the
 * serving preprocessing. Pictures are held decoded at a reduced resolution (shorter side about
 * {@value #HELD_SIDE} px), so a crop costs no decoding.
 */
public final class OutlierImages {

  /** Shorter side the pictures are kept at: the smallest crop stays above 32 px. */
  static final int HELD_SIDE = 160;

  /** Smallest crop side as a share of the picture's shorter side. */
  static final double MIN_CROP_FRACTION = 0.25;

  private final List<BufferedImage> images;
  private final String sha256;

  private OutlierImages(List<BufferedImage> images, String sha256) {
    this.images = images;
    this.sha256 = sha256;
  }

  /**
   * Every PNG, JPEG, BMP or GIF file below {@code dir}, in path order.
   *
   * @throws DatasetException the folder cannot be read, holds no picture, or a picture is damaged
   */
  public static OutlierImages load(Path dir) {
    List<Path> files = list(dir);
    if (files.isEmpty()) {
      throw new DatasetException(dir + ": holds no PNG, JPEG, BMP or GIF pictures");
    }
    MessageDigest digest = newDigest();
    ImageDecoder decoder = new ImageDecoder();
    List<BufferedImage> images =
        files.stream()
            .map(
                file -> {
                  byte[] bytes = read(file);
                  digest.update(dir.relativize(file).toString().getBytes());
                  digest.update(bytes);
                  return decode(decoder, file, bytes);
                })
            .toList();
    return new OutlierImages(images, HexFormat.of().formatHex(digest.digest()));
  }

  public int size() {
    return images.size();
  }

  /** SHA-256 over the pictures' relative paths and bytes, in path order: which set trained. */
  public String sha256() {
    return sha256;
  }

  /** Writes a random crop of a random picture, normalised, as CHW floats at {@code offset}. */
  public void writeCrop(ImagePreprocessor preprocessor, Random random, float[] dest, int offset) {
    BufferedImage image = images.get(random.nextInt(images.size()));
    int shorter = Math.min(image.getWidth(), image.getHeight());
    double fraction = MIN_CROP_FRACTION + (1 - MIN_CROP_FRACTION) * random.nextDouble();
    int side = Math.max(1, (int) Math.round(shorter * fraction));
    int x = random.nextInt(image.getWidth() - side + 1);
    int y = random.nextInt(image.getHeight() - side + 1);
    byte[] planar = preprocessor.toPlanarRgb(image.getSubimage(x, y, side, side));
    if (random.nextBoolean()) {
      mirror(planar, preprocessor.inputSize());
    }
    preprocessor.writeTensor(planar, 0, dest, offset);
  }

  private static void mirror(byte[] planar, int size) {
    for (int row = 0; row < planar.length / size; row++) {
      for (int i = 0, j = size - 1; i < j; i++, j--) {
        byte t = planar[row * size + i];
        planar[row * size + i] = planar[row * size + j];
        planar[row * size + j] = t;
      }
    }
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(OutlierImages::isPicture).sorted().toList();
    } catch (IOException e) {
      throw new DatasetException(dir + ": cannot be listed: " + e.getMessage(), e);
    }
  }

  private static boolean isPicture(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Stream.of(".png", ".jpg", ".jpeg", ".bmp", ".gif").anyMatch(name::endsWith);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  private static BufferedImage decode(ImageDecoder decoder, Path file, byte[] bytes) {
    try {
      return decoder.decodeReduced(bytes, HELD_SIDE);
    } catch (ImageDecodingException e) {
      throw new DatasetException(file + ": " + e.getMessage(), e);
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
