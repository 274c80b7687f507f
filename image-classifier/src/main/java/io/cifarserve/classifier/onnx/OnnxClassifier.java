package io.cifarserve.classifier.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.cifarserve.classifier.pipeline.ImagePipeline;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.model.ModelSignature;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An image classifier backed by one ONNX Runtime session: a batch of NCHW floats in, logits or
 * calibrated probabilities out.
 *
 * <p>The model must have {@link ModelSignature}'s input and output, with cifar-serve metadata.
 * Calls are thread-safe and may run concurrently. {@link #close()} waits for running calls to
 * finish, so a server can swap models without failing requests in flight.
 */
public final class OnnxClassifier implements AutoCloseable, ImagePipeline.Classifier {

  private final OrtSession session;
  private final ModelMetadata metadata;
  private final int imageLength;
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private OnnxClassifier(OrtSession session, ModelMetadata metadata) {
    this.session = session;
    this.metadata = metadata;
    this.imageLength = 3 * metadata.inputSize() * metadata.inputSize();
  }

  /** Loads a model file. {@code intraOpThreads} 0 lets ONNX Runtime choose. */
  public static OnnxClassifier load(Path modelFile, int intraOpThreads) {
    try {
      return load(Files.readAllBytes(modelFile), intraOpThreads);
    } catch (java.io.IOException e) {
      throw new InvalidModelException("cannot read model file " + modelFile + ": " + e, e);
    }
  }

  /** Loads a model from its bytes. {@code intraOpThreads} 0 lets ONNX Runtime choose. */
  public static OnnxClassifier load(byte[] model, int intraOpThreads) {
    OrtEnvironment env = OrtEnvironments.get();
    OrtSession session = null;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      session = env.createSession(model, options);
      ModelMetadata metadata =
          ModelMetadata.fromProperties(session.getMetadata().getCustomMetadata());
      checkSignature(session, metadata);
      return new OnnxClassifier(session, metadata);
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      if (e instanceof InvalidModelException invalid) {
        throw invalid;
      }
      throw new InvalidModelException("not a usable cifar-serve model: " + e.getMessage(), e);
    }
  }

  private static void checkSignature(OrtSession session, ModelMetadata metadata)
      throws OrtException {
    long[] input = shapeOf(session.getInputInfo(), ModelSignature.INPUT);
    long[] output = shapeOf(session.getOutputInfo(), ModelSignature.OUTPUT);
    int size = metadata.inputSize();
    boolean inputFits = input.length == 4 && input[1] == 3 && input[2] == size && input[3] == size;
    boolean outputFits = output.length == 2 && output[1] == metadata.labels().size();
    if (!inputFits || !outputFits) {
      throw new InvalidModelException(
          "model signature %s%s -> %s%s does not match its metadata (input %dx%d, %d labels)"
              .formatted(
                  ModelSignature.INPUT,
                  Arrays.toString(input),
                  ModelSignature.OUTPUT,
                  Arrays.toString(output),
                  size,
                  size,
                  metadata.labels().size()),
          null);
    }
  }

  private static long[] shapeOf(Map<String, NodeInfo> nodes, String name) {
    NodeInfo node = nodes.get(name);
    if (node == null || !(node.getInfo() instanceof TensorInfo tensor)) {
      throw new InvalidModelException(
          "model has no tensor named '" + name + "' (found " + nodes.keySet() + ")", null);
    }
    return tensor.getShape();
  }

  public ModelMetadata metadata() {
    return metadata;
  }

  /** Floats one image occupies in the input tensor ({@code 3 * S * S}). */
  public int imageLength() {
    return imageLength;
  }

  /**
   * Runs the model.
   *
   * @param nchw {@code batchSize} images, each {@link #imageLength()} floats, back to back
   * @return one row of logits per image
   * @throws IllegalArgumentException the tensor length does not match the batch size
   * @throws IllegalStateException the classifier has been closed
   */
  public float[][] logits(float[] nchw, int batchSize) {
    if (batchSize <= 0 || nchw.length != (long) batchSize * imageLength) {
      throw new IllegalArgumentException(
          "expected %d images of 3x%dx%d floats (%d values), got %d values"
              .formatted(
                  batchSize,
                  metadata.inputSize(),
                  metadata.inputSize(),
                  (long) batchSize * imageLength,
                  nchw.length));
    }
    long side = metadata.inputSize();
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new ClassifierClosedException("model " + metadata.version() + " has been closed");
      }
      OrtEnvironment env = OrtEnvironments.get();
      try (OnnxTensor tensor =
              OnnxTensor.createTensor(
                  env, FloatBuffer.wrap(nchw), new long[] {batchSize, 3, side, side});
          OrtSession.Result result = session.run(Map.of(ModelSignature.INPUT, tensor))) {
        return (float[][]) result.get(0).getValue();
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Runs the model; each row of logits becomes probabilities under the model's calibration. */
  public float[][] probabilities(float[] nchw, int batchSize) {
    float[][] rows = logits(nchw, batchSize);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = metadata.calibration().probabilities(rows[i]);
    }
    return rows;
  }

  /**
   * Logits for images given as one CHW tensor each, run as one batch.
   *
   * @throws IllegalArgumentException a tensor is not {@link #imageLength()} floats long
   */
  @Override
  public float[][] logits(List<float[]> images) {
    if (images.isEmpty()) {
      return new float[0][];
    }
    float[] batch = new float[images.size() * imageLength];
    for (int i = 0; i < images.size(); i++) {
      float[] image = images.get(i);
      if (image.length != imageLength) {
        throw new IllegalArgumentException(
            "image %d has %d values; this model takes %d".formatted(i, image.length, imageLength));
      }
      System.arraycopy(image, 0, batch, i * imageLength, imageLength);
    }
    return logits(batch, images.size());
  }

  /** Waits for running calls, then releases the native session. Idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        closeQuietly(session);
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private static void closeQuietly(OrtSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException e) {
        // Nothing useful to do: the native memory is released with the process.
      }
    }
  }
}
