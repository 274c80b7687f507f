package io.cifarserve.inference.problem;

import io.cifarserve.classifier.image.CorruptImageException;
import io.cifarserve.classifier.image.EmptyImageException;
import io.cifarserve.classifier.image.ImageTooLargeException;
import io.cifarserve.classifier.image.UnsupportedImageFormatException;
import io.cifarserve.classifier.onnx.InvalidModelException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** The one mapping from this service's failures to RFC 9457 problem details. */
public final class Problems {

  private Problems() {}

  /** A known failure: HTTP status, short type name (also the metrics tag), title. */
  public record Kind(HttpStatus status, String type, String title) {}

  public static Kind kindOf(Throwable e) {
    if (e instanceof ServiceException known) {
      return new Kind(known.status(), known.type(), known.title());
    }
    // Failures of the shared library, which knows nothing of HTTP.
    if (e instanceof EmptyImageException) {
      return new Kind(HttpStatus.BAD_REQUEST, "empty-image", "Empty picture");
    }
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
    if (e instanceof InvalidModelException) {
      return new Kind(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-model", "Model refused");
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
