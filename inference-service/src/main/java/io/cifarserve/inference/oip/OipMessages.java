package io.cifarserve.inference.oip;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The JSON messages of the Open Inference Protocol (KServe v2) REST API. */
public final class OipMessages {

  private OipMessages() {}

  public record ServerMetadata(String name, String version, List<String> extensions) {}

  public record ServerLive(boolean live) {}

  public record ServerReady(boolean ready) {}

  public record ModelReady(String name, boolean ready) {}

  public record TensorMetadata(String name, String datatype, List<Long> shape) {}

  public record ModelMetadata(
      String name,
      List<String> versions,
      String platform,
      List<TensorMetadata> inputs,
      List<TensorMetadata> outputs) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestInput(
      String name,
      List<Long> shape,
      String datatype,
      Map<String, Object> parameters,
      JsonNode data) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestOutput(String name, Map<String, Object> parameters) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InferenceRequest(
      String id,
      Map<String, Object> parameters,
      List<RequestInput> inputs,
      List<RequestOutput> outputs) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ResponseOutput(String name, List<Long> shape, String datatype, List<?> data) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InferenceResponse(
      @JsonProperty("model_name") String modelName,
      @JsonProperty("model_version") String modelVersion,
      String id,
      List<ResponseOutput> outputs) {}
}
