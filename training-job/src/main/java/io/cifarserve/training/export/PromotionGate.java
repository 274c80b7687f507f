package io.cifarserve.training.export;

import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.common.model.MetricKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Publishes a model as the current one in a folder only if its test accuracy is not lower than the
 * current model's. The model file is replaced atomically, so a server watching the folder never
 * sees half a file.
 */
public final class PromotionGate {

  public static final String CURRENT_MODEL = "model.onnx";
  private static final String ACCURACY = MetricKeys.TEST_ACCURACY;

  private PromotionGate() {}

  /**
   * @param companions files published beside the model (model card, metrics), when present
   * @return whether the model was published
   */
  public static boolean publish(
      Path candidate, List<Path> companions, Path folder, boolean force, PrintStream out) {
    double candidateAccuracy = accuracyOf(candidate);
    Path current = folder.resolve(CURRENT_MODEL);
    if (Files.isRegularFile(current)) {
      double currentAccuracy = accuracyOf(current);
      out.printf(
          "current model test accuracy %.4f, candidate %.4f%n", currentAccuracy, candidateAccuracy);
      if (candidateAccuracy < currentAccuracy && !force) {
        out.println("not published: the candidate is less accurate (use --force to override)");
        return false;
      }
    } else {
      out.printf(
          "no current model in %s; candidate test accuracy %.4f%n", folder, candidateAccuracy);
    }
    try {
      Files.createDirectories(folder);
      for (Path companion : companions) {
        if (Files.isRegularFile(companion)) {
          replaceAtomically(companion, folder.resolve(companion.getFileName().toString()));
        }
      }
      replaceAtomically(candidate, current);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish to " + folder, e);
    }
    out.println("published " + current);
    return true;
  }

  private static double accuracyOf(Path model) {
    try (OnnxClassifier classifier = OnnxClassifier.load(model, 1)) {
      return classifier.metadata().metric(ACCURACY).orElse(Double.NEGATIVE_INFINITY);
    }
  }

  private static void replaceAtomically(Path source, Path target) throws IOException {
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
    Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
