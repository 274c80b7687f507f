package io.cifarserve.inference.upload;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds JSON request bodies (the Open Inference Protocol's), which no multipart limit covers: a
 * declared length over the limit is refused before reading, and a body without one is cut off at
 * the limit. Either way the client gets 413.
 */
@Component
public class JsonBodyLimit extends OncePerRequestFilter {

  private final long limit;

  public JsonBodyLimit(UploadProperties uploads) {
    this.limit = uploads.maxJsonSize().toBytes();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String type = request.getContentType();
    return type == null || !type.toLowerCase().contains("json");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > limit) {
      response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      String detail = message();
      response
          .getOutputStream()
          .write(
              ("{\"type\":\"/problems/payload-too-large\",\"title\":\"Request too large\","
                      + "\"status\":413,\"detail\":\""
                      + detail
                      + "\",\"error\":\""
                      + detail
                      + "\"}")
                  .getBytes(StandardCharsets.UTF_8));
      return;
    }
    chain.doFilter(new Limited(request), response);
  }

  private String message() {
    return "the JSON body is over the limit of %d bytes (inference.upload.max-json-size)"
        .formatted(limit);
  }

  /** The request with a body that refuses to be read past the limit. */
  private final class Limited extends HttpServletRequestWrapper {

    private ServletInputStream stream;

    Limited(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        ServletInputStream body = super.getInputStream();
        stream =
            new ServletInputStream() {
              private long read;

              @Override
              public int read() throws IOException {
                int b = body.read();
                count(b < 0 ? 0 : 1);
                return b;
              }

              @Override
              public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = body.read(buffer, offset, length);
                count(Math.max(0, n));
                return n;
              }

              private void count(int n) {
                read += n;
                if (read > limit) {
                  throw new PayloadTooLargeException(message());
                }
              }

              @Override
              public boolean isFinished() {
                return body.isFinished();
              }

              @Override
              public boolean isReady() {
                return body.isReady();
              }

              @Override
              public void setReadListener(ReadListener listener) {
                body.setReadListener(listener);
              }
            };
      }
      return stream;
    }
  }
}
