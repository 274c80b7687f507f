package io.cifarserve.inference.oip;

import io.cifarserve.inference.problem.ServiceException;
import org.springframework.http.HttpStatus;

/** An inference request whose tensors have the wrong name, type, shape or data (400). */
public class InvalidTensorException extends ServiceException {

  public InvalidTensorException(String message) {
    super(HttpStatus.BAD_REQUEST, "invalid-tensor", "Invalid inference request", message);
  }
}
