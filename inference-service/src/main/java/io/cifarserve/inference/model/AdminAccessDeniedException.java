package io.cifarserve.inference.model;

import io.cifarserve.inference.problem.ServiceException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** An admin request without valid credentials: 401 with a bearer challenge, or 403. */
public class AdminAccessDeniedException extends ServiceException {

  private final Map<String, String> headers;

  private AdminAccessDeniedException(
      HttpStatus status, String type, String title, String message, Map<String, String> headers) {
    super(status, type, title, message);
    this.headers = headers;
  }

  static AdminAccessDeniedException unauthorized(String message, boolean tokenSent) {
    String challenge =
        "Bearer realm=\"cifar-serve admin\"" + (tokenSent ? ", error=\"invalid_token\"" : "");
    return new AdminAccessDeniedException(
        HttpStatus.UNAUTHORIZED,
        "unauthorized",
        "Admin token required",
        message,
        Map.of("WWW-Authenticate", challenge));
  }

  static AdminAccessDeniedException forbidden(String message) {
    return new AdminAccessDeniedException(
        HttpStatus.FORBIDDEN, "forbidden", "Admin access refused", message, Map.of());
  }

  @Override
  public Map<String, String> headers() {
    return headers;
  }
}
