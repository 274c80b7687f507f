package io.cifarserve.inference.oip;

import io.cifarserve.classifier.pipeline.ImagePipeline;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.inference.engine.ModelEngine;
import io.cifarserve.inference.model.ModelRegistry;
import io.cifarserve.inference.oip.OipMessages.InferenceRequest;
import io.cifarserve.inference.oip.OipMessages.InferenceResponse;
import io.cifarserve.inference.oip.OipMessages.RequestInput;
import io.cifarserve.inference.oip.OipMessages.ResponseOutput;
import io.cifarserve.inference.oip.OipMessages.TensorMetadata;
import io.cifarserve.inference.upload.PayloadTooLargeException;
import io.cifarserve.inference.upload.UploadProperties;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The model as an Open Inference Protocol model. Inputs: {@value #TENSOR_INPUT}, FP32 {@code [N, 3,
 * S, S]} already normalised, or {@value #IMAGE_INPUT}, BYTES {@code [N]} of base64-encoded image
 * files. Outputs: {@value #PROBABILITIES}, FP32 {@code [N, classes]}, and {@value #LABEL}, BYTES
 * {@code [N]}.
 */
@Service
public class OipService {

  public static final String TENSOR_INPUT = "input";
  public static final String IMAGE_INPUT = "image";
  public static final String PROBABILITIES = "probabilities";
  public static final String LABEL = "label";
  public static final String CONFIDENCE = "confidence";
  public static final String UNSURE = "unsure";
  private static final List<String> OUTPUTS = List.of(PROBABILITIES, LABEL, CONFIDENCE, UNSURE);
  public static final String PLATFORM = "onnxruntime_onnx";

  private final ModelRegistry models;
  private final ImagePipeline pipeline;
  private final int maxBatch;
  private final long maxImageBytes;

  public OipService(ModelRegistry models, UploadProperties uploads, ImagePipeline pipeline) {
    this.models = models;
    this.pipeline = pipeline;
    this.maxBatch = uploads.maxBatchFiles();
    this.maxImageBytes = uploads.maxImageSize().toBytes();
  }

  /** The served model with this name (and version, when given). */
  public ModelEngine model(String name, String version) {
    return models.require(name, version);
  }

  public OipMessages.ModelMetadata metadata(ModelEngine model) {
    long size = model.metadata().inputSize();
    long classes = model.metadata().labels().size();
    return new OipMessages.ModelMetadata(
        model.metadata().name(),
        List.of(model.metadata().version()),
        PLATFORM,
        List.of(
            new TensorMetadata(TENSOR_INPUT, "FP32", List.of(-1L, 3L, size, size)),
            new TensorMetadata(IMAGE_INPUT, "BYTES", List.of(-1L))),
        List.of(
            new TensorMetadata(PROBABILITIES, "FP32", List.of(-1L, classes)),
            new TensorMetadata(LABEL, "BYTES", List.of(-1L)),
            new TensorMetadata(CONFIDENCE, "FP32", List.of(-1L)),
            new TensorMetadata(UNSURE, "BOOL", List.of(-1L))));
  }

  /** Runs a request on the named model, leased once for the whole request. */
  public InferenceResponse infer(String name, String version, InferenceRequest request) {
    try (ModelEngine.Lease lease = models.lease(name, version)) {
      return infer(lease.engine(), lease, request);
    }
  }

  private InferenceResponse infer(
      ModelEngine model, ModelEngine.Lease lease, InferenceRequest request) {
    if (request == null || request.inputs() == null || request.inputs().size() != 1) {
      throw new InvalidTensorException(
          "send exactly one input: '%s' (FP32 [N,3,%d,%d]) or '%s' (BYTES [N])"
              .formatted(
                  TENSOR_INPUT,
                  model.metadata().inputSize(),
                  model.metadata().inputSize(),
                  IMAGE_INPUT));
    }
    Set<String> wanted = requestedOutputs(request);
    List<float[]> rows = rows(model, request.inputs().get(0));
    List<float[]> logits = lease.logits(rows);
    List<PredictionResponse> answers = new ArrayList<>(logits.size());
    for (float[] row : logits) {
      PredictionResponse answer = PredictionResponse.rank(row, model.metadata(), 1, 0);
      model.record(answer);
      answers.add(answer);
    }
    long n = rows.size();
    List<ResponseOutput> outputs = new ArrayList<>();
    if (wanted.contains(PROBABILITIES)) {
      List<Float> flat = new ArrayList<>();
      for (float[] row : logits) {
        for (float p : model.metadata().calibration().probabilities(row)) {
          flat.add(p);
        }
      }
      long classes = model.metadata().labels().size();
      outputs.add(new ResponseOutput(PROBABILITIES, List.of(n, classes), "FP32", flat));
    }
    if (wanted.contains(LABEL)) {
      outputs.add(
          new ResponseOutput(
              LABEL,
              List.of(n),
              "BYTES",
              answers.stream().map(PredictionResponse::label).toList()));
    }
    if (wanted.contains(CONFIDENCE)) {
      outputs.add(
          new ResponseOutput(
              CONFIDENCE,
              List.of(n),
              "FP32",
              answers.stream().map(a -> (float) a.confidence().value()).toList()));
    }
    if (wanted.contains(UNSURE)) {
      outputs.add(
          new ResponseOutput(
              UNSURE,
              List.of(n),
              "BOOL",
              answers.stream().map(PredictionResponse::unsure).toList()));
    }
    return new InferenceResponse(
        model.metadata().name(), model.metadata().version(), request.id(), outputs);
  }

  private static Set<String> requestedOutputs(InferenceRequest request) {
    if (request.outputs() == null || request.outputs().isEmpty()) {
      return Set.copyOf(OUTPUTS);
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (OipMessages.RequestOutput output : request.outputs()) {
      if (!OUTPUTS.contains(output.name())) {
        throw new InvalidTensorException(
            "unknown output '%s'; outputs are %s".formatted(output.name(), OUTPUTS));
      }
      wanted.add(output.name());
    }
    return wanted;
  }

  private List<float[]> rows(ModelEngine model, RequestInput input) {
    if (TENSOR_INPUT.equals(input.name())) {
      return tensorRows(model, input);
    }
    if (IMAGE_INPUT.equals(input.name())) {
      return imageRows(model, input);
    }
    throw new InvalidTensorException(
        "unknown input '%s'; inputs are '%s' and '%s'"
            .formatted(input.name(), TENSOR_INPUT, IMAGE_INPUT));
  }

  private List<float[]> tensorRows(ModelEngine model, RequestInput input) {
    long size = model.metadata().inputSize();
    if (!"FP32".equals(input.datatype())) {
      throw new InvalidTensorException(
          "input '%s' must be FP32, was %s".formatted(TENSOR_INPUT, input.datatype()));
    }
    List<Long> shape = input.shape();
    if (shape == null
        || shape.size() != 4
        || shape.contains(null)
        || shape.get(0) < 1
        || shape.get(1) != 3
        || shape.get(2) != size
        || shape.get(3) != size) {
      throw new InvalidTensorException(
          "input '%s' must have shape [N,3,%d,%d], was %s"
              .formatted(TENSOR_INPUT, size, size, shape));
    }
    checkBatch(shape.get(0));
    int n = shape.get(0).intValue();
    int length = model.preprocessor().imageLength();
    float[] values = flatten(input.data(), (long) n * length);
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] row = new float[length];
      System.arraycopy(values, i * length, row, 0, length);
      rows.add(row);
    }
    return rows;
  }

  private List<float[]> imageRows(ModelEngine model, RequestInput input) {
    if (!"BYTES".equals(input.datatype())) {
      throw new InvalidTensorException(
          "input '%s' must be BYTES, was %s".formatted(IMAGE_INPUT, input.datatype()));
    }
    JsonNode data = input.data();
    if (data == null || !data.isArray()) {
      throw new InvalidTensorException(
          "input '%s' data must be an array of base64-encoded images".formatted(IMAGE_INPUT));
    }
    if (input.shape() == null || input.shape().isEmpty() || input.shape().get(0) != data.size()) {
      throw new InvalidTensorException(
          "input '%s' shape %s does not match its %d data elements"
              .formatted(IMAGE_INPUT, input.shape(), data.size()));
    }
    checkBatch(data.size());
    List<float[]> rows = new ArrayList<>();
    for (JsonNode element : data) {
      if (!element.isString()) {
        throw new InvalidTensorException("each image must be a base64 string");
      }
      if (element.asString().length() / 4L * 3 > maxImageBytes) {
        throw new PayloadTooLargeException(
            "an image is over the limit of %d bytes (MAX_UPLOAD_SIZE)".formatted(maxImageBytes));
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(element.asString());
      } catch (IllegalArgumentException e) {
        throw new InvalidTensorException("an image is not valid base64: " + e.getMessage());
      }
      rows.add(pipeline.tensor(bytes, model.preprocessor()));
    }
    return rows;
  }

  private void checkBatch(long n) {
    if (n > maxBatch) {
      throw new PayloadTooLargeException(
          "a batch of %d is over the limit of %d per request (inference.upload.max-batch-files)"
              .formatted(n, maxBatch));
    }
  }

  /** Reads row-major data given flat or nested, checking the element count. */
  private static float[] flatten(JsonNode data, long expected) {
    if (data == null || !data.isArray()) {
      throw new InvalidTensorException("data must be an array of numbers");
    }
    float[] values = new float[Math.toIntExact(expected)];
    int count = collect(data, values, 0);
    if (count != expected) {
      throw new InvalidTensorException(
          "data has %d elements; the shape needs %d".formatted(count, expected));
    }
    return values;
  }

  private static int collect(JsonNode node, float[] into, int at) {
    int next = at;
    for (JsonNode element : node) {
      if (element.isArray()) {
        next = collect(element, into, next);
      } else if (element.isNumber()) {
        if (next >= into.length) {
          throw new InvalidTensorException(
              "data has more elements than the shape's %d".formatted(into.length));
        }
        double value = element.doubleValue();
        if (!Double.isFinite(value) || Math.abs(value) > Float.MAX_VALUE) {
          throw new InvalidTensorException(
              "FP32 data element %d is %s, outside the FP32 range (±%s)"
                  .formatted(next, element, Float.MAX_VALUE));
        }
        into[next++] = (float) value;
      } else {
        throw new InvalidTensorException("FP32 data must be numbers, found " + element);
      }
    }
    return next;
  }
}
