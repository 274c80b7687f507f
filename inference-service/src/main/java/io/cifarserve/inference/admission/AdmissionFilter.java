package io.cifarserve.inference.admission;

import io.cifarserve.inference.problem.OverloadedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Admits each inference request, or refuses it with 503, before a byte of its body is read: a
 * refused request costs neither a multipart parse nor a JSON parse nor a decode. The refusal goes
 * through the same exception handling as every other problem.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
public class AdmissionFilter extends OncePerRequestFilter {

  private final RequestAdmission admission;
  private final HandlerExceptionResolver problems;
  private final long interactiveBodyLimit;

  public AdmissionFilter(
      RequestAdmission admission,
      AdmissionProperties properties,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
    this.admission = admission;
    this.problems = problems;
    this.interactiveBodyLimit = properties.interactiveBodyLimit().toBytes();
  }

  /** The lane of an inference request, or null for anything else (metadata, health, admin). */
  Lane laneOf(HttpServletRequest request) {
    if (!"POST".equals(request.getMethod())) {
      return null;
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (path.equals("/api/v1/predict/batch")) {
      return Lane.BULK;
    }
    if (path.equals("/api/v1/predict") || path.equals("/api/v1/explain")) {
      return Lane.INTERACTIVE;
    }
    if (path.startsWith("/v2/models/") && path.endsWith("/infer")) {
      long length = request.getContentLengthLong();
      return length >= 0 && length <= interactiveBodyLimit ? Lane.INTERACTIVE : Lane.BULK;
    }
    return null;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return laneOf(request) == null;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    RequestAdmission.Place place;
    try {
      place = admission.enter(laneOf(request));
    } catch (OverloadedException refused) {
      problems.resolveException(request, response, null, refused);
      return;
    }
    try (place) {
      chain.doFilter(request, response);
    }
  }
}
