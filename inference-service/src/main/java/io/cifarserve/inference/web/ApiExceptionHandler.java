package io.cifarserve.inference.web;

import io.cifarserve.classifier.image.ImageDecodingException;
import io.cifarserve.classifier.onnx.InvalidModelException;
import io.cifarserve.inference.engine.InferenceMetrics;
import io.cifarserve.inference.problem.Problems;
import io.cifarserve.inference.problem.ServiceException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.ConversionNotSupportedException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentConversionNotSupportedException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
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
  private final DataSize maxFileSize;
  private final DataSize maxRequestSize;

  public ApiExceptionHandler(
      InferenceMetrics metrics,
      @Value("${spring.servlet.multipart.max-file-size}") DataSize maxFileSize,
      @Value("${spring.servlet.multipart.max-request-size}") DataSize maxRequestSize) {
    this.metrics = metrics;
    this.maxFileSize = maxFileSize;
    this.maxRequestSize = maxRequestSize;
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

  /** A multipart body that cannot be parsed (no boundary, cut short): the client's fault. */
  @ExceptionHandler(MultipartException.class)
  ResponseEntity<ProblemDetail> badMultipart(MultipartException e, HttpServletRequest request) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST,
            "the multipart body could not be read ("
                + innermost(e)
                + "); send multipart/form-data"
                + " with a boundary, or the picture as a raw image/* body");
    problem.setTitle("Malformed multipart request");
    problem.setType(URI.create("/problems/bad-multipart"));
    return respond(problem, new HttpHeaders(), request.getRequestURI(), "bad-multipart");
  }

  @Override
  protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
      MaxUploadSizeExceededException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            status,
            "the upload is over the limits: %s per picture (MAX_UPLOAD_SIZE), %s per request"
                    .formatted(maxFileSize, maxRequestSize)
                + " (MAX_REQUEST_SIZE)");
    problem.setTitle("Request too large");
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
      if (cause instanceof ServiceException tooLarge) {
        // The body limit cut the read short: that is the answer, not the JSON it left broken.
        ProblemDetail problem = Problems.of(tooLarge);
        return handleExceptionInternal(
            ex, problem, headers, HttpStatusCode.valueOf(problem.getStatus()), request);
      }
    }
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            status, "the request body is not valid JSON for this endpoint: " + innermost(ex));
    problem.setTitle("Malformed request body");
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<String> problems = new ArrayList<>();
    for (ParameterValidationResult result : ex.getParameterValidationResults()) {
      String name = result.getMethodParameter().getParameterName();
      for (var error : result.getResolvableErrors()) {
        problems.add(
            "%s %s (was %s)".formatted(name, error.getDefaultMessage(), result.getArgument()));
      }
    }
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, String.join("; ", problems));
    problem.setTitle("Invalid request parameter");
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  /**
   * A request parameter that cannot become the type the endpoint takes, such as a file part sent
   * under the name of a text parameter: the client's mistake, so a 400 naming the parameter. Spring
   * answers 500 by default, as for a conversion the server itself lacks.
   */
  @Override
  protected ResponseEntity<Object> handleConversionNotSupported(
      ConversionNotSupportedException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    if (!(ex instanceof MethodArgumentConversionNotSupportedException parameter)) {
      return super.handleConversionNotSupported(ex, headers, status, request);
    }
    Class<?> required = parameter.getRequiredType();
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST,
            "parameter '%s' must be %s, not a %s"
                .formatted(
                    parameter.getName(),
                    required == null ? "text" : required.getSimpleName(),
                    parameter.getValue() instanceof MultipartFile ? "file" : "value of this kind"));
    problem.setTitle("Invalid request parameter");
    return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
  }

  /** The deepest cause's message, first line only: what actually went wrong. */
  private static String innermost(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
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
    if (isOpenInferenceProtocol(path)) {
      problem.setProperty("error", problem.getDetail());
    }
  }

  /** Open Inference Protocol clients read a failure's message from its {@code error} field. */
  static boolean isOpenInferenceProtocol(String path) {
    return path.startsWith("/v2");
  }
}
