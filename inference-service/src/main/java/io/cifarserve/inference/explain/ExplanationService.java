package io.cifarserve.inference.explain;

import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.pipeline.ImagePipeline;
import io.cifarserve.common.api.ExplanationResponse;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.inference.engine.ModelEngine;
import io.cifarserve.inference.model.ModelChoice;
import io.cifarserve.inference.model.ModelRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.springframework.stereotype.Service;

/**
 * Classifies one picture and explains the answer with an occlusion-sensitivity map, all on one
 * leased engine: the picture and its 49 occluded copies go to the engine in one call.
 */
@Service
public class ExplanationService {

  private static final OcclusionSensitivity OCCLUSION = new OcclusionSensitivity(8, 4);
  private static final float MID_GREY = 0.5f;

  private final ModelRegistry models;
  private final ImagePipeline pipeline;

  public ExplanationService(ModelRegistry models, ImagePipeline pipeline) {
    this.models = models;
    this.pipeline = pipeline;
  }

  /**
   * @param label the class to explain; null: the predicted one
   * @throws UnknownLabelException the model has no such class
   */
  public ExplanationResponse explain(byte[] image, int k, String label, ModelChoice choice) {
    try (ModelEngine.Lease lease = models.lease(choice.model(), choice.version())) {
      ModelEngine engine = lease.engine();
      ModelMetadata metadata = engine.metadata();
      int explained = label == null ? -1 : metadata.labels().indexOf(label);
      if (label != null && explained < 0) {
        throw new UnknownLabelException(label, metadata.labels());
      }
      ImagePreprocessor preprocessor = engine.preprocessor();
      BufferedImage picture = pipeline.decode(image, preprocessor);
      int size = preprocessor.inputSize();
      long started = System.nanoTime();
      List<float[]> logits =
          lease.logits(
              OCCLUSION.occludedCopies(preprocessor.toTensor(picture), size, grey(metadata)));
      PredictionResponse prediction =
          PredictionResponse.rank(logits.get(0), metadata, k, (System.nanoTime() - started) / 1e6);
      engine.record(prediction);
      List<float[]> probabilities =
          logits.stream().map(metadata.calibration()::probabilities).toList();
      int target = explained >= 0 ? explained : prediction.classIndex();
      double[] heat = OCCLUSION.heat(probabilities, target, size);
      double max = 0;
      for (double h : heat) {
        max = Math.max(max, h);
      }
      List<Float> scaled = new ArrayList<>(heat.length);
      for (double h : heat) {
        scaled.add(max > 0 ? (float) (h / max) : 0f);
      }
      return new ExplanationResponse(
          prediction,
          metadata.labels().get(target),
          size,
          scaled,
          max,
          png(preprocessor.toPlanarRgb(picture), size),
          Thumbnail.png(pipeline.decodeWhole(image, Thumbnail.SIDE)));
    }
  }

  /** Mid grey as the model's normalisation turns it into tensor values, per channel. */
  private static float[] grey(ModelMetadata metadata) {
    float[] grey = new float[3];
    for (int c = 0; c < 3; c++) {
      grey[c] = (MID_GREY - metadata.mean().get(c)) / metadata.std().get(c);
    }
    return grey;
  }

  /** The cropped and resized picture the model saw, as a base64 PNG. */
  private static String png(byte[] planarRgb, int size) {
    BufferedImage seen = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    int plane = size * size;
    for (int i = 0; i < plane; i++) {
      int r = planarRgb[i] & 0xFF;
      int g = planarRgb[plane + i] & 0xFF;
      int b = planarRgb[2 * plane + i] & 0xFF;
      seen.setRGB(i % size, i / size, (r << 16) | (g << 8) | b);
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(seen, "png", out);
      return Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
