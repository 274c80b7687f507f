package io.cifarserve.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.springframework.http.ProblemDetail;

/** One entry per uploaded file, in upload order; a bad file gets an error, the rest still run. */
public record BatchPredictionResponse(
    PredictionResponse.ModelRef model, int succeeded, int failed, List<Item> results) {

  /** The result for one file: a prediction or an RFC 9457 problem. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(
      int index, String filename, PredictionResponse prediction, ProblemDetail error) {}
}
