package io.cifarserve.training;

import io.cifarserve.training.data.Checksum;
import io.cifarserve.training.data.CifarDownloader;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.data.Datasets;
import io.cifarserve.training.data.LabeledImages;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the dataset comes from; shared by the commands that read it. */
public final class DataOptions {

  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description =
          "Dataset folder: CIFAR-10 binary files (cifar-10-batches-bin/*.bin) or image folders"
              + " (train/<class>/*.jpg, test/<class>/*.jpg). Default: ${DEFAULT-VALUE}.")
  Path dataDir;

  @Option(
      names = "--download",
      description = "Download the official cifar-10-binary.tar.gz into --data-dir if absent.")
  boolean download;

  @Option(
      names = "--download-url",
      description = "Where to download from. Default: ${DEFAULT-VALUE}.",
      defaultValue = CifarDownloader.OFFICIAL_URL)
  URI downloadUrl;

  @Option(
      names = "--download-checksum",
      description = "Expected digest, md5:HEX or sha256:HEX. Default: the published MD5.",
      defaultValue = Checksum.CIFAR10_BINARY_MD5)
  String downloadChecksum;

  @Option(
      names = "--download-records-per-file",
      hidden = true,
      defaultValue = "10000",
      description = "Records each downloaded batch file must hold (tests use small files).")
  int recordsPerFile;

  CifarSplit load() {
    downloadIfAsked();
    return Datasets.read(dataDir);
  }

  /** The test split alone, for commands that only evaluate. */
  LabeledImages loadTest() {
    downloadIfAsked();
    return Datasets.readTest(dataDir);
  }

  private void downloadIfAsked() {
    if (download) {
      new CifarDownloader(recordsPerFile)
          .ensure(dataDir, downloadUrl, Checksum.parse(downloadChecksum));
    }
  }
}
