package io.cifarserve.classifier.pipeline;

import io.cifarserve.classifier.image.ImageDecoder;
import io.cifarserve.classifier.image.ImageDecodingException;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.image.PixelBudget;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.model.ModelMetadata;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decode, preprocess, classify, rank: the one way a picture becomes a prediction. The inference
 * service's endpoints and the training job's batch prediction all go through it, so a picture gets
 * the same answer whichever way it arrives.
 */
public final class ImagePipeline {

  /** Whatever runs the model: an engine's lease in the service, a session in the job. */
  public interface Classifier {

    ModelMetadata metadata();

    /** The preprocessing the model was trained with. */
    default ImagePreprocessor preprocessor() {
      return ImagePreprocessor.forModel(metadata());
    }

    /** One row of logits per preprocessed tensor, in order. */
    float[][] logits(List<float[]> tensors);
  }

  /** One picture's answer, or why it could not be read. */
  public record Result(PredictionResponse prediction, ImageDecodingException error) {

    public boolean ok() {
      return prediction != null;
    }
  }

  /** Decoded pixels kept per model input pixel, at least: 8 gives 256 for a 32 x 32 model. */
  public static final int DECODED_SIDE_PER_INPUT = 8;

  private final ImageDecoder decoder;

  /**
   * @param maxPixels pictures with more pixels are refused before decoding
   * @param budget pixels being decoded at once, shared by every caller of this pipeline
   */
  public ImagePipeline(long maxPixels, PixelBudget budget) {
    this.decoder = new ImageDecoder(maxPixels, budget);
  }

  /**
   * @param maxPixels pictures with more pixels are refused before decoding
   */
  public ImagePipeline(long maxPixels) {
    this(maxPixels, PixelBudget.UNLIMITED);
  }

  /**
   * Decodes the centre square of a picture, the part the model sees (orientation applied, colour
   * converted), its size checked first. Pictures far larger than the model's input are read
   * subsampled, keeping at least {@link #DECODED_SIDE_PER_INPUT} pixels per input pixel for the
   * area-average resize.
   */
  public BufferedImage decode(byte[] picture, ImagePreprocessor preprocessor) {
    return decoder.decodeCentreSquare(picture, DECODED_SIDE_PER_INPUT * preprocessor.inputSize());
  }

  /**
   * Decodes the whole picture, orientation applied, subsampled so that its shorter side stays at
   * least {@code minSide}: enough for a thumbnail of a large photo.
   */
  public BufferedImage decodeWhole(byte[] picture, int minSide) {
    return decoder.decodeReduced(picture, minSide);
  }

  /** Decodes a picture and preprocesses it for a model: its tensor. */
  public float[] tensor(byte[] picture, ImagePreprocessor preprocessor) {
    return preprocessor.toTensor(decode(picture, preprocessor));
  }

  /**
   * Classifies pictures in one call: each readable one gets its top {@code k} classes, each other
   * one its decoding error.
   */
  public List<Result> classify(List<byte[]> pictures, Classifier classifier, int k) {
    return classifyEach(
        pictures.stream().map(bytes -> (Supplier<byte[]>) () -> bytes).toList(), classifier, k);
  }

  /**
   * Like {@link #classify}, reading each picture's bytes only when it is decoded and dropping them
   * after: a batch of pictures stored elsewhere (multipart parts on disk, files) holds one
   * picture's bytes at a time, plus the small tensors.
   */
  public List<Result> classifyEach(
      List<? extends Supplier<byte[]>> pictures, Classifier classifier, int k) {
    ImagePreprocessor preprocessor = classifier.preprocessor();
    Result[] results = new Result[pictures.size()];
    List<float[]> tensors = new ArrayList<>();
    List<Integer> decoded = new ArrayList<>();
    for (int i = 0; i < pictures.size(); i++) {
      try {
        tensors.add(tensor(pictures.get(i).get(), preprocessor));
        decoded.add(i);
      } catch (ImageDecodingException e) {
        results[i] = new Result(null, e);
      }
    }
    List<PredictionResponse> ranked = rank(tensors, classifier, k);
    for (int j = 0; j < decoded.size(); j++) {
      results[decoded.get(j)] = new Result(ranked.get(j), null);
    }
    return List.of(results);
  }

  /**
   * Classifies preprocessed tensors in one call and ranks each under the model's calibration: the
   * last two steps, for pictures that arrive already decoded (a dataset's pixels).
   */
  public static List<PredictionResponse> rank(List<float[]> tensors, Classifier classifier, int k) {
    if (tensors.isEmpty()) {
      return List.of();
    }
    ModelMetadata metadata = classifier.metadata();
    long started = System.nanoTime();
    float[][] logits = classifier.logits(tensors);
    double millis = (System.nanoTime() - started) / 1e6;
    List<PredictionResponse> ranked = new ArrayList<>(tensors.size());
    for (float[] row : logits) {
      ranked.add(PredictionResponse.rank(row, metadata, k, millis));
    }
    return ranked;
  }
}
