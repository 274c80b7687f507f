package io.cifarserve.inference.explain;

import io.cifarserve.inference.problem.ServiceException;
import java.util.List;
import org.springframework.http.HttpStatus;

/** {@code label} names a class the model does not have (400). */
public class UnknownLabelException extends ServiceException {

  public UnknownLabelException(String label, List<String> labels) {
    super(
        HttpStatus.BAD_REQUEST,
        "unknown-label",
        "Unknown label",
        "label '%s' is not one of the model's classes: %s"
            .formatted(label, String.join(", ", labels)));
  }
}
