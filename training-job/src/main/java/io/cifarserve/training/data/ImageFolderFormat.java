package io.cifarserve.training.data;

import io.cifarserve.classifier.image.ImageDecoder;
import io.cifarserve.classifier.image.ImageDecodingException;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.common.Cifar10;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Images in class folders: {@code train/<class>/*.jpg} and {@code test/<class>/*.jpg}, class names
 * being the CIFAR-10 labels. Pictures go through the same decoding and crop/resize as serving.
 */
public final class ImageFolderFormat {

  private ImageFolderFormat() {}

  public static boolean isPresent(Path dir) {
    return Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"));
  }

  public static boolean hasTestSplit(Path dir) {
    return Files.isDirectory(dir.resolve("test"));
  }

  public static LabeledImages readTest(Path dir) {
    return readSplit(dir.resolve("test"));
  }

  public static CifarSplit read(Path dir) {
    return new CifarSplit(
        readSplit(dir.resolve("train")), readSplit(dir.resolve("test")), "image folders in " + dir);
  }

  static LabeledImages readSplit(Path splitDir) {
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (Stream<Path> classDirs = Files.list(splitDir)) {
      for (Path classDir : classDirs.filter(Files::isDirectory).sorted().toList()) {
        int label = labelOf(classDir);
        try (Stream<Path> images = Files.list(classDir)) {
          for (Path image : images.filter(Files::isRegularFile).sorted().toList()) {
            files.add(image);
            labels.add(label);
          }
        }
      }
    } catch (IOException e) {
      throw new DatasetException(splitDir + ": cannot be listed: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new DatasetException(splitDir + ": holds no images in class folders");
    }
    int size = Cifar10.IMAGE_SIZE;
    int n = LabeledImages.bytesPerImage(size);
    byte[] pixels = new byte[files.size() * n];
    ImageDecoder decoder = new ImageDecoder();
    ImagePreprocessor geometry = new ImagePreprocessor(size, Cifar10.MEAN, Cifar10.STD);
    IntStream.range(0, files.size())
        .parallel()
        .forEach(
            i -> {
              Path file = files.get(i);
              try {
                byte[] planar = geometry.toPlanarRgb(decoder.decode(Files.readAllBytes(file)));
                System.arraycopy(planar, 0, pixels, i * n, n);
              } catch (IOException | ImageDecodingException e) {
                throw new DatasetException(file + ": " + e.getMessage(), e);
              }
            });
    return new LabeledImages(pixels, labels.stream().mapToInt(Integer::intValue).toArray(), size);
  }

  private static int labelOf(Path classDir) {
    String name = classDir.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      return Cifar10.indexOf(name);
    } catch (IllegalArgumentException e) {
      throw new DatasetException(classDir + ": " + e.getMessage());
    }
  }
}
