package io.cifarserve.inference.model;

import io.cifarserve.inference.problem.ServiceException;
import org.springframework.http.HttpStatus;

/** A request names a model or version this server does not serve (404). */
public class ModelNotFoundException extends ServiceException {

  public ModelNotFoundException(String message) {
    super(HttpStatus.NOT_FOUND, "model-not-found", "Model not found", message);
  }
}
