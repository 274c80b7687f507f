package io.cifarserve.website.predict;

import io.cifarserve.common.api.ExplanationResponse;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.chart.Canvas;
import io.cifarserve.website.backend.InferenceClient;
import io.cifarserve.website.backend.InferenceRejectedException;
import io.micrometer.core.instrument.MeterRegistry;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Asks the inference service to classify and explain each upload, and prepares what the results
 * page shows. The service decodes, crops, resizes and classifies; the website only draws.
 */
@Service
public class PredictionPageService {

  static final int TOP_K = 5;

  private final InferenceClient client;
  private final MeterRegistry meters;

  public PredictionPageService(InferenceClient client, MeterRegistry meters) {
    this.client = client;
    this.meters = meters;
  }

  /**
   * @param model the model to ask (null: the service's default)
   */
  public List<ImageResult> predict(List<InferenceClient.Upload> uploads, String model) {
    List<ImageResult> results = new ArrayList<>();
    for (InferenceClient.Upload upload : uploads) {
      try {
        ExplanationResponse explanation = client.explain(upload, TOP_K, model);
        count("predicted");
        results.add(describe(upload, explanation));
      } catch (InferenceRejectedException e) {
        // This picture is refused (not an image, too large, ...); the others still go.
        count("rejected");
        results.add(ImageResult.failure(upload.filename(), e.getMessage()));
      }
    }
    return results;
  }

  private ImageResult describe(InferenceClient.Upload upload, ExplanationResponse explanation) {
    PredictionResponse prediction = explanation.prediction();
    List<ImageResult.Bar> bars =
        prediction.topK().stream()
            .map(c -> new ImageResult.Bar(c.label(), 100 * c.probability()))
            .toList();
    return new ImageResult(
        upload.filename(),
        "data:image/png;base64," + explanation.thumbnail(),
        "data:image/png;base64," + explanation.input(),
        prediction.label(),
        100 * prediction.probability(),
        prediction.unsure(),
        bars,
        dataUri(overlay(explanation.heat(), explanation.size())),
        null);
  }

  /** The map as a translucent red layer, one pixel per model pixel; the page scales it up. */
  static BufferedImage overlay(List<Float> heat, int size) {
    BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double v = Math.max(0, Math.min(1, heat.get(y * size + x)));
        out.setRGB(
            x, y, new Color(255, (int) (200 * (1 - v)), 0, (int) Math.round(200 * v)).getRGB());
      }
    }
    return out;
  }

  private void count(String outcome) {
    meters.counter("website.uploads", "outcome", outcome).increment();
  }

  private static String dataUri(BufferedImage image) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(Canvas.png(image));
  }
}
