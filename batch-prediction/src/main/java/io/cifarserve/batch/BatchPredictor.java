package io.cifarserve.batch;

import io.cifarserve.classifier.image.ImageDecodingException;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.pipeline.ImagePipeline;
import io.cifarserve.common.api.PredictionResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Classifies files in batches through the service's pipeline, decoding the next batch on a pool of
 * threads while the model runs the current one.
 */
final class BatchPredictor implements AutoCloseable {

  /** One file's answer or why it has none. */
  record Outcome(Path file, PredictionResponse prediction, String error) {}

  private final ImagePipeline pipeline;
  private final ImagePipeline.Classifier classifier;
  private final ImagePreprocessor preprocessor;
  private final int topK;
  private final ExecutorService decoders;

  BatchPredictor(
      ImagePipeline pipeline, ImagePipeline.Classifier classifier, int topK, int decodeThreads) {
    this.pipeline = pipeline;
    this.classifier = classifier;
    this.preprocessor = classifier.preprocessor();
    this.topK = topK;
    this.decoders =
        Executors.newFixedThreadPool(
            decodeThreads,
            task -> {
              Thread thread = new Thread(task, "decoder");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** A batch being decoded: its files' tensors, or their errors. */
  final class Pending {

    private final List<Path> files;
    private final List<CompletableFuture<Object>> decoded = new ArrayList<>();

    private Pending(List<Path> files) {
      this.files = files;
      for (Path file : files) {
        decoded.add(CompletableFuture.supplyAsync(() -> decode(file), decoders));
      }
    }

    /** Waits for the decoding, then classifies what decoded, as one batch. */
    List<Outcome> classify() {
      List<float[]> tensors = new ArrayList<>();
      List<Integer> positions = new ArrayList<>();
      Outcome[] outcomes = new Outcome[files.size()];
      for (int i = 0; i < files.size(); i++) {
        Object result = decoded.get(i).join();
        if (result instanceof float[] tensor) {
          tensors.add(tensor);
          positions.add(i);
        } else {
          outcomes[i] = new Outcome(files.get(i), null, (String) result);
        }
      }
      List<PredictionResponse> ranked = ImagePipeline.rank(tensors, classifier, topK);
      for (int j = 0; j < positions.size(); j++) {
        int i = positions.get(j);
        outcomes[i] = new Outcome(files.get(i), ranked.get(j), null);
      }
      return List.of(outcomes);
    }
  }

  /** Starts decoding a batch of files. */
  Pending start(List<Path> files) {
    return new Pending(files);
  }

  private Object decode(Path file) {
    try {
      return pipeline.tensor(Files.readAllBytes(file), preprocessor);
    } catch (IOException e) {
      return "cannot read: " + e.getMessage();
    } catch (ImageDecodingException e) {
      return e.getMessage();
    }
  }

  @Override
  public void close() {
    decoders.shutdownNow();
  }
}
