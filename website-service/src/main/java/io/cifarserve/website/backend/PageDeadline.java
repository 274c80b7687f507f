package io.cifarserve.website.backend;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One deadline for everything a page asks the inference service, however many calls that takes: it
 * starts when the page's request arrives, and each call may wait only for what is left of it.
 */
@Component
public class PageDeadline extends OncePerRequestFilter {

  private static final ThreadLocal<Long> DEADLINE_NANOS = new ThreadLocal<>();

  private final Duration budget;

  public PageDeadline(InferenceProperties properties) {
    this.budget = properties.pageDeadline();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    DEADLINE_NANOS.set(System.nanoTime() + budget.toNanos());
    try {
      chain.doFilter(request, response);
    } finally {
      DEADLINE_NANOS.remove();
    }
  }

  /** What is left of the current page's budget; empty outside a page request. */
  static Optional<Duration> remaining() {
    Long deadline = DEADLINE_NANOS.get();
    return deadline == null
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }
}
