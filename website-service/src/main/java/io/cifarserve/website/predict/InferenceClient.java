package io.cifarserve.website.predict;

import io.cifarserve.common.api.BatchPredictionResponse;
import io.cifarserve.common.api.ModelInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/** The inference service's REST API as the website uses it, with timeouts and latency metrics. */
@Component
public class InferenceClient {

  private final RestClient http;
  private final MeterRegistry meters;

  public InferenceClient(
      RestClient.Builder builder, InferenceProperties properties, MeterRegistry meters) {
    JdkClientHttpRequestFactory requests =
        new JdkClientHttpRequestFactory(
            HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build());
    requests.setReadTimeout(properties.readTimeout());
    this.http = builder.baseUrl(properties.url().toString()).requestFactory(requests).build();
    this.meters = meters;
  }

  /** An uploaded picture. */
  public record Upload(String filename, byte[] bytes) {}

  public BatchPredictionResponse predict(List<Upload> uploads, int k) {
    MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
    for (Upload upload : uploads) {
      form.add(
          "files",
          new ByteArrayResource(upload.bytes()) {
            @Override
            public String getFilename() {
              return upload.filename();
            }
          });
    }
    return call(
        "predict-batch",
        () ->
            http.post()
                .uri("/api/v1/predict/batch?k={k}", k)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(form)
                .retrieve()
                .body(BatchPredictionResponse.class));
  }

  public ModelInfo model() {
    return call("model", () -> http.get().uri("/api/v1/model").retrieve().body(ModelInfo.class));
  }

  /**
   * Probabilities for a batch of normalised NCHW tensors, in one Open Inference Protocol request.
   */
  public float[][] probabilities(String model, float[] nchw, int n, int size) {
    List<Float> data = new java.util.ArrayList<>(nchw.length);
    for (float v : nchw) {
      data.add(v);
    }
    Map<String, Object> request =
        Map.of(
            "inputs",
            List.of(
                Map.of(
                    "name",
                    "input",
                    "datatype",
                    "FP32",
                    "shape",
                    List.of(n, 3, size, size),
                    "data",
                    data)),
            "outputs",
            List.of(Map.of("name", "probabilities")));
    OipResponse response =
        call(
            "infer",
            () ->
                http.post()
                    .uri("/v2/models/{model}/infer", model)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(request)
                    .retrieve()
                    .body(OipResponse.class));
    List<Float> flat = response.outputs().get(0).data();
    int classes = flat.size() / n;
    float[][] rows = new float[n][classes];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < classes; c++) {
        rows[i][c] = flat.get(i * classes + c);
      }
    }
    return rows;
  }

  record OipResponse(List<OipOutput> outputs) {}

  record OipOutput(String name, List<Float> data) {}

  private <T> T call(String endpoint, Supplier<T> request) {
    Timer.Sample sample = Timer.start(meters);
    String outcome = "error";
    try {
      T result = request.get();
      outcome = "success";
      return result;
    } catch (ResourceAccessException e) {
      outcome = "unreachable";
      throw new InferenceUnavailableException(
          timedOut(e)
              ? "The prediction service took too long to answer. Please try again."
              : "The prediction service is not reachable right now. Please try again shortly.",
          e);
    } catch (RestClientResponseException e) {
      outcome = "http-" + e.getStatusCode().value();
      throw translate(e);
    } finally {
      sample.stop(
          Timer.builder("website.backend.latency")
              .description("Latency of calls to the inference service")
              .tag("endpoint", endpoint)
              .tag("outcome", outcome)
              .publishPercentileHistogram()
              .register(meters));
    }
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.http.HttpTimeoutException
          || cause instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static RuntimeException translate(RestClientResponseException e) {
    HttpStatusCode status = e.getStatusCode();
    if (status.value() == 503 || status.is5xxServerError()) {
      return new InferenceUnavailableException(
          "The prediction service is busy or still starting. Please try again in a moment.", e);
    }
    ProblemDetail problem = e.getResponseBodyAs(ProblemDetail.class);
    String detail =
        problem != null && problem.getDetail() != null ? problem.getDetail() : e.getStatusText();
    return new InferenceRejectedException(status.value(), detail);
  }
}
