package io.cifarserve.inference.upload;

import io.cifarserve.inference.problem.ServiceException;
import org.springframework.http.HttpStatus;

/** The client stopped sending before the body was complete: its fault, not the service's. */
public class IncompleteBodyException extends ServiceException {

  public IncompleteBodyException(String message) {
    super(HttpStatus.BAD_REQUEST, "incomplete-body", "Incomplete request body", message);
  }
}
