package io.cifarserve.training;

import ai.djl.engine.Engine;
import io.cifarserve.mlflow.Digests;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.data.LabeledImages;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Facts recorded with a run so it can be reproduced: versions, commit, data digest. */
final class Versions {

  private Versions() {}

  static String timestamp() {
    return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC));
  }

  static Map<String, String> runtime() {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("java", System.getProperty("java.version"));
    versions.put("djl", Engine.getDjlVersion());
    versions.put(
        "engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
    versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    versions.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    return versions;
  }

  /** What a tracked run records about the code it ran: commit and library versions. */
  static Map<String, String> trackingParams(String gitCommit) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("git_commit", gitCommit);
    params.put("djl_version", Engine.getDjlVersion());
    params.put("pytorch_version", Engine.getEngine("PyTorch").getVersion());
    params.put("java_version", System.getProperty("java.version"));
    return params;
  }

  /** SHA-256 over the labels and pixels of both splits, as loaded. */
  static String sha256(CifarSplit split) {
    return sha256(split.train(), split.test());
  }

  /** SHA-256 over the labels and pixels of the given images, in order, as loaded. */
  static String sha256(LabeledImages... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (LabeledImages images : parts) {
        ByteBuffer labels = ByteBuffer.allocate(images.size() * Integer.BYTES);
        labels.asIntBuffer().put(images.labels());
        digest.update(labels);
        digest.update(images.pixels());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 of a file's bytes. */
  static String sha256(Path file) {
    return Digests.sha256(file);
  }
}
