package io.cifarserve.inference.upload;

import io.cifarserve.inference.problem.ServiceException;
import org.springframework.http.HttpStatus;

/** A body or a batch over the configured limits (413). */
public class PayloadTooLargeException extends ServiceException {

  public PayloadTooLargeException(String message) {
    super(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request too large", message);
  }
}
