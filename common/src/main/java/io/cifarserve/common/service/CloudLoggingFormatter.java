package io.cifarserve.common.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.Instant;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLogFormatter;

/**
 * One JSON object per line in the shape Google Cloud Logging reads from a container's output:
 * {@code severity}, {@code message}, {@code timestamp}, and the request's trace under {@code
 * logging.googleapis.com/trace} so a request's lines are grouped with its trace.
 */
public class CloudLoggingFormatter implements StructuredLogFormatter<ILoggingEvent> {

  private final String project = System.getenv("GOOGLE_CLOUD_PROJECT");

  private final JsonWriter<ILoggingEvent> writer =
      JsonWriter.<ILoggingEvent>of(
              members -> {
                members.add("timestamp", e -> Instant.ofEpochMilli(e.getTimeStamp()).toString());
                members.add("severity", e -> severity(e.getLevel()));
                members.add("message", CloudLoggingFormatter::message);
                members.add("logger", ILoggingEvent::getLoggerName);
                members.add("thread", ILoggingEvent::getThreadName);
                members
                    .add(
                        "logging.googleapis.com/trace",
                        e -> trace(e.getMDCPropertyMap().get(TraceContextFilter.TRACE_ID)))
                    .whenNotNull();
                members
                    .add(
                        "logging.googleapis.com/spanId",
                        e -> e.getMDCPropertyMap().get(TraceContextFilter.SPAN_ID))
                    .whenNotNull();
              })
          .withNewLineAtEnd();

  @Override
  public String format(ILoggingEvent event) {
    return writer.writeToString(event);
  }

  static String severity(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> "ERROR";
      case Level.WARN_INT -> "WARNING";
      case Level.INFO_INT -> "INFO";
      default -> "DEBUG";
    };
  }

  private static String message(ILoggingEvent event) {
    if (event.getThrowableProxy() == null) {
      return event.getFormattedMessage();
    }
    // Cloud Error Reporting finds stack traces inside the message.
    return event.getFormattedMessage()
        + "\n"
        + ThrowableProxyUtil.asString(event.getThrowableProxy());
  }

  private String trace(String traceId) {
    if (traceId == null) {
      return null;
    }
    return project == null || project.isBlank()
        ? traceId
        : "projects/" + project + "/traces/" + traceId;
  }
}
