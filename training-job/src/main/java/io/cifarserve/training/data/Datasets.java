package io.cifarserve.training.data;

import java.nio.file.Path;

/** Finds which layout a data directory holds and reads it. */
public final class Datasets {

  private Datasets() {}

  public static CifarSplit read(Path dir) {
    if (CifarBinaryFormat.isPresent(dir)) {
      return CifarBinaryFormat.read(dir);
    }
    if (ImageFolderFormat.isPresent(dir)) {
      return ImageFolderFormat.read(dir);
    }
    throw new DatasetException(
        dir
            + ": holds neither CIFAR-10 binary files ("
            + CifarBinaryFormat.FOLDER
            + "/test_batch.bin) nor image folders (train/<class>, test/<class>)");
  }

  /** The test split alone: evaluating a model needs no training images. */
  public static LabeledImages readTest(Path dir) {
    if (CifarBinaryFormat.isPresent(dir)) {
      return CifarBinaryFormat.readTest(dir);
    }
    if (ImageFolderFormat.hasTestSplit(dir)) {
      return ImageFolderFormat.readTest(dir);
    }
    throw new DatasetException(
        dir
            + ": holds neither a CIFAR-10 test file ("
            + CifarBinaryFormat.FOLDER
            + "/test_batch.bin) nor test image folders (test/<class>)");
  }
}
