package io.cifarserve.inference.web;

import io.cifarserve.common.image.CorruptImageException;
import io.cifarserve.common.image.ImageTooLargeException;
import io.cifarserve.common.image.UnsupportedImageFormatException;
import io.cifarserve.common.onnx.InvalidModelException;
import io.cifarserve.inference.engine.OverloadedException;
import io.cifarserve.inference.model.ModelNotReadyException;
import io.cifarserve.inference.oip.InvalidTensorException;
import io.cifarserve.inference.oip.ModelNotFoundException;
import io.cifarserve.inference.predict.PayloadTooLargeException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** The one mapping from this service's failures to RFC 9457 problem details. */
public final class Problems {

  private Problems() {}

  /** A known failure: HTTP status, short type name (also the metrics tag), title. */
  public record Kind(HttpStatus status, String type, String title) {}

  public static Kind kindOf(Throwable e) {
    if (e instanceof UnsupportedImageFormatException) {
      return new Kind(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-image", "Unsupported image format");
    }
    if (e instanceof ImageTooLargeException) {
      return new Kind(
          HttpStatus.UNPROCESSABLE_CONTENT, "image-too-large", "Image has too many pixels");
    }
    if (e instanceof CorruptImageException) {
      return new Kind(HttpStatus.UNPROCESSABLE_CONTENT, "corrupt-image", "Corrupt image");
    }
    if (e instanceof PayloadTooLargeException) {
      return new Kind(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request too large");
    }
    if (e instanceof InvalidTensorException) {
      return new Kind(HttpStatus.BAD_REQUEST, "invalid-tensor", "Invalid inference request");
    }
    if (e instanceof ModelNotFoundException) {
      return new Kind(HttpStatus.NOT_FOUND, "model-not-found", "Model not found");
    }
    if (e instanceof InvalidModelException) {
      return new Kind(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-model", "Model refused");
    }
    if (e instanceof OverloadedException) {
      return new Kind(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "Service overloaded");
    }
    if (e instanceof ModelNotReadyException) {
      return new Kind(HttpStatus.SERVICE_UNAVAILABLE, "model-not-ready", "Model not ready");
    }
    return new Kind(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error");
  }

  /** Short name of the failure, for the {@code inference.errors} metric. */
  public static String typeOf(Throwable e) {
    return kindOf(e).type();
  }

  /** The problem detail for a known failure; its message is safe to show. */
  public static ProblemDetail of(Throwable e) {
    Kind kind = kindOf(e);
    String detail =
        kind.status() == HttpStatus.INTERNAL_SERVER_ERROR
            ? "an unexpected error occurred; it has been logged"
            : e.getMessage();
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(kind.status(), detail);
    problem.setTitle(kind.title());
    problem.setType(URI.create("/problems/" + kind.type()));
    return problem;
  }
}
