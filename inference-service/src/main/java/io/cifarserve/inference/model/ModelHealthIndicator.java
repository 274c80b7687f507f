package io.cifarserve.inference.model;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** DOWN until a model is loaded and warmed up; part of the readiness group. */
@Component("model")
public class ModelHealthIndicator implements HealthIndicator {

  private final ModelRegistry registry;

  public ModelHealthIndicator(ModelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Health health() {
    return registry
        .current()
        .map(
            m ->
                Health.up()
                    .withDetail("name", m.metadata().name())
                    .withDetail("version", m.metadata().version())
                    .build())
        .orElseGet(() -> Health.down().withDetail("reason", "model loading").build());
  }
}
