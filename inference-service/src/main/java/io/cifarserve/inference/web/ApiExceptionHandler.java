package io.cifarserve.inference.web;

import io.cifarserve.common.image.ImageDecodingException;
import io.cifarserve.common.onnx.InvalidModelException;
import io.cifarserve.inference.engine.InferenceMetrics;
import io.cifarserve.inference.problem.Problems;
import io.cifarserve.inference.problem.ServiceException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves as {@code application/problem+json}: client mistakes with a 4xx status and a
 * message saying what to fix, overload as 503 with Retry-After, and never a stack trace. On the
 * Open Inference Protocol paths the message is also under {@code error}, as that protocol expects.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  private final InferenceMetrics metrics;

  public ApiExceptionHandler(InferenceMetrics metrics) {
    this.metrics = metrics;
  }

  @ExceptionHandler({
    ServiceException.class,
    ImageDecodingException.class,
    InvalidModelException.class
  })
  ResponseEntity<ProblemDetail> known(RuntimeException e, HttpServletRequest request) {
    HttpHeaders headers = new HttpHeaders();
    if (e instanceof ServiceException service) {
      service.headers().forEach(headers::set);
      service
          .retryAfter()
          .ifPresent(
              after ->
                  headers.set(
                      HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, after.toSeconds()))));
    }
    return respond(Problems.of(e), headers, request.getRequestURI(), Problems.typeOf(e));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return respond(Problems.of(e), new HttpHeaders(), request.getRequestURI(), "internal");
  }

  /** Spring MVC's own failures (415, 413, missing part, validation): same shape, same metric. */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ResponseEntity<Object> response =
        super.handleExceptionInternal(ex, body, headers, status, request);
    if (response != null && response.getBody() instanceof ProblemDetail problem) {
      String path =
          request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "";
      decorate(problem, path);
      metrics.error("http-" + status.value());
    }
    return response;
  }

  private ResponseEntity<ProblemDetail> respond(
      ProblemDetail problem, HttpHeaders headers, String path, String type) {
    decorate(problem, path);
    metrics.error(type);
    return ResponseEntity.status(problem.getStatus())
        .headers(headers)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  private static void decorate(ProblemDetail problem, String path) {
    if (path.startsWith("/v2")) {
      problem.setProperty("error", problem.getDetail());
    }
  }
}
