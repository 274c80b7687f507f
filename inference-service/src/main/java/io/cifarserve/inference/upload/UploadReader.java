package io.cifarserve.inference.upload;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.stereotype.Component;

/** Reads a raw picture body, refusing more than the limit without reading it all. */
@Component
public class UploadReader {

  private final UploadProperties uploads;

  public UploadReader(UploadProperties uploads) {
    this.uploads = uploads;
  }

  public byte[] read(HttpServletRequest request) {
    long limit = uploads.maxImageSize().toBytes();
    if (request.getContentLengthLong() > limit) {
      throw tooLarge(limit);
    }
    try (InputStream body = request.getInputStream()) {
      byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        throw tooLarge(limit);
      }
      return bytes;
    } catch (IOException e) {
      throw new IncompleteBodyException(
          "the picture's body could not be read to its end (%s); the connection was closed or stalled"
              .formatted(e.getMessage()));
    }
  }

  private static PayloadTooLargeException tooLarge(long limit) {
    return new PayloadTooLargeException(
        "the image is larger than the limit of %d bytes".formatted(limit));
  }
}
