package io.cifarserve.website.predict;

import io.cifarserve.common.api.BatchPredictionResponse;
import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.image.ImageDecoder;
import io.cifarserve.common.image.ImageDecodingException;
import io.micrometer.core.instrument.MeterRegistry;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Sends uploads to the inference service and prepares what the results page shows. */
@Service
public class PredictionPageService {

  static final int TOP_K = 5;
  static final int THUMBNAIL = 160;
  private static final Logger log = LoggerFactory.getLogger(PredictionPageService.class);

  private final InferenceClient client;
  private final MeterRegistry meters;
  private final ImageDecoder decoder = new ImageDecoder();
  private final OcclusionMap occlusion = new OcclusionMap(8, 4);

  public PredictionPageService(InferenceClient client, MeterRegistry meters) {
    this.client = client;
    this.meters = meters;
  }

  /**
   * @param served the served model's description when the caller already has it; fetched only if
   *     needed (for the heat maps) and not given
   */
  public List<ImageResult> predict(
      List<InferenceClient.Upload> uploads, Optional<ModelInfo> served) {
    BatchPredictionResponse response = client.predict(uploads, TOP_K);
    ModelInfo model = served.orElse(null);
    List<ImageResult> results = new ArrayList<>();
    for (int i = 0; i < uploads.size(); i++) {
      InferenceClient.Upload upload = uploads.get(i);
      BatchPredictionResponse.Item item = response.results().get(i);
      BufferedImage picture = decodeQuietly(upload.bytes());
      String thumbnail = picture == null ? null : dataUri(thumbnail(picture));
      if (item.prediction() == null) {
        String detail = item.error() != null ? item.error().getDetail() : "could not be classified";
        count("rejected");
        results.add(ImageResult.failure(upload.filename(), thumbnail, detail));
        continue;
      }
      if (model == null) {
        model = client.model();
      }
      count("predicted");
      results.add(
          describe(upload.filename(), thumbnail, item.prediction(), heatmap(picture, model)));
    }
    return results;
  }

  private ImageResult describe(
      String filename, String thumbnail, PredictionResponse prediction, String heatmap) {
    List<ImageResult.Bar> bars =
        prediction.topK().stream()
            .map(c -> new ImageResult.Bar(c.label(), 100 * c.probability()))
            .toList();
    return new ImageResult(
        filename,
        thumbnail,
        prediction.label(),
        100 * prediction.probability(),
        bars,
        heatmap,
        null);
  }

  private String heatmap(BufferedImage picture, ModelInfo model) {
    if (picture == null) {
      return null;
    }
    try {
      OcclusionMap.Result result = occlusion.compute(picture, model, client);
      return dataUri(occlusion.overlay(result, model.inputSize(), THUMBNAIL));
    } catch (RuntimeException e) {
      log.warn("occlusion map failed: {}", e.getMessage());
      return null;
    }
  }

  private void count(String outcome) {
    meters.counter("website.uploads", "outcome", outcome).increment();
  }

  private BufferedImage decodeQuietly(byte[] bytes) {
    try {
      return decoder.decode(bytes);
    } catch (ImageDecodingException e) {
      return null;
    }
  }

  /** The centre square scaled to the thumbnail size, as the model sees the picture. */
  private static BufferedImage thumbnail(BufferedImage picture) {
    int side = Math.min(picture.getWidth(), picture.getHeight());
    BufferedImage square =
        picture.getSubimage(
            (picture.getWidth() - side) / 2, (picture.getHeight() - side) / 2, side, side);
    BufferedImage out = new BufferedImage(THUMBNAIL, THUMBNAIL, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION,
        side < THUMBNAIL
            ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
            : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(square, 0, 0, THUMBNAIL, THUMBNAIL, null);
    g.dispose();
    return out;
  }

  private static String dataUri(BufferedImage image) {
    try {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(image, "png", png);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
