package io.cifarserve.inference.model;

import io.cifarserve.inference.problem.ServiceException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/** No model has finished loading yet (503). */
public class ModelNotReadyException extends ServiceException {

  public ModelNotReadyException() {
    super(
        HttpStatus.SERVICE_UNAVAILABLE,
        "model-not-ready",
        "Model not ready",
        "the model is still loading; try again shortly");
  }

  @Override
  public Optional<Duration> retryAfter() {
    return Optional.of(Duration.ofSeconds(5));
  }
}
