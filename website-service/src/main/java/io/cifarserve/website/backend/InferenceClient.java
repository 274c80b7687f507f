package io.cifarserve.website.backend;

import io.cifarserve.common.api.BatchPredictionResponse;
import io.cifarserve.common.api.ExplanationResponse;
import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.common.api.ModelList;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.client.ClientHttpRequestFactory;
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
    HttpClient client = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
    Duration readTimeout = properties.readTimeout();
    // Each call waits at most its read timeout, and never past the page's deadline.
    ClientHttpRequestFactory requests =
        (uri, method) -> {
          Duration wait =
              PageDeadline.remaining()
                  .map(left -> left.compareTo(readTimeout) < 0 ? left : readTimeout)
                  .orElse(readTimeout);
          if (wait.isZero()) {
            throw new ResourceAccessException(
                "the page's deadline has passed", new java.net.http.HttpTimeoutException("page"));
          }
          JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
          factory.setReadTimeout(wait);
          return factory.createRequest(uri, method);
        };
    this.http = builder.baseUrl(properties.url().toString()).requestFactory(requests).build();
    this.meters = meters;
  }

  /** An uploaded picture. */
  public record Upload(String filename, byte[] bytes) {}

  /**
   * The prediction for one picture, an occlusion map of what it rests on, and the picture the model
   * saw, from the given model (null: the service's default).
   */
  public ExplanationResponse explain(Upload upload, int k, String model) {
    MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
    form.add("file", part(upload));
    return call(
        "explain",
        () ->
            http.post()
                .uri(
                    builder ->
                        builder
                            .path("/api/v1/explain")
                            .queryParam("k", k)
                            .queryParamIfPresent("model", Optional.ofNullable(model))
                            .build())
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(form)
                .retrieve()
                .body(ExplanationResponse.class));
  }

  /** One prediction per picture, in order, from the given model (null: the default). */
  public BatchPredictionResponse predictBatch(List<Upload> uploads, int k, String model) {
    MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
    uploads.forEach(upload -> form.add("files", part(upload)));
    return call(
        "predict-batch",
        () ->
            http.post()
                .uri(
                    builder ->
                        builder
                            .path("/api/v1/predict/batch")
                            .queryParam("k", k)
                            .queryParamIfPresent("model", Optional.ofNullable(model))
                            .build())
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(form)
                .retrieve()
                .body(BatchPredictionResponse.class));
  }

  private static ByteArrayResource part(Upload upload) {
    return new ByteArrayResource(upload.bytes()) {
      @Override
      public String getFilename() {
        return upload.filename();
      }
    };
  }

  /** A served model (null: the default). */
  public ModelInfo model(String name) {
    return call(
        "model",
        () ->
            http.get()
                .uri(
                    builder ->
                        builder
                            .path("/api/v1/model")
                            .queryParamIfPresent("model", Optional.ofNullable(name))
                            .build())
                .retrieve()
                .body(ModelInfo.class));
  }

  /** Every served model, the default first. */
  public ModelList models() {
    return call("models", () -> http.get().uri("/api/v1/models").retrieve().body(ModelList.class));
  }

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
