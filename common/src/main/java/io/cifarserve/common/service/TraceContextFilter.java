package io.cifarserve.common.service;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the trace and span of Cloud Run's {@code X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=1} header
 * into the logging context for the duration of the request.
 */
public class TraceContextFilter extends OncePerRequestFilter {

  public static final String HEADER = "X-Cloud-Trace-Context";
  static final String TRACE_ID = "traceId";
  static final String SPAN_ID = "spanId";
  private static final Pattern FORMAT = Pattern.compile("([0-9a-fA-F]{1,32})(?:/(\\d{1,20}))?.*");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HEADER);
    Matcher matcher = header == null ? null : FORMAT.matcher(header);
    if (matcher == null || !matcher.matches()) {
      chain.doFilter(request, response);
      return;
    }
    MDC.put(TRACE_ID, matcher.group(1));
    if (matcher.group(2) != null) {
      MDC.put(SPAN_ID, matcher.group(2));
    }
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(TRACE_ID);
      MDC.remove(SPAN_ID);
    }
  }
}
