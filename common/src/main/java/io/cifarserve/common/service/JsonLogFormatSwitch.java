package io.cifarserve.common.service;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/** {@code LOG_FORMAT=json} switches console logs to {@link CloudLoggingFormatter}'s JSON lines. */
public class JsonLogFormatSwitch implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if ("json".equalsIgnoreCase(environment.getProperty("LOG_FORMAT"))) {
      environment
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "cifarServeJsonLogs",
                  Map.of(
                      "logging.structured.format.console", CloudLoggingFormatter.class.getName())));
    }
  }
}
