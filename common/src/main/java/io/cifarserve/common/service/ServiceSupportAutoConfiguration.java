package io.cifarserve.common.service;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Set;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/** What both services share: trace ids in logs and metrics that pass {@code promtool check}. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ServiceSupportAutoConfiguration {

  /**
   * Meters whose Prometheus names break the exposition lint rules (abbreviated units, a gauge
   * ending in {@code _count}); what they tell is available as other meters.
   */
  static final Set<String> LINT_BREAKING =
      Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");

  @Bean
  FilterRegistrationBean<TraceContextFilter> traceContextFilter() {
    FilterRegistrationBean<TraceContextFilter> registration =
        new FilterRegistrationBean<>(new TraceContextFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  @ConditionalOnClass(MeterFilter.class)
  MeterFilter lintCleanMeters() {
    return new MeterFilter() {
      @Override
      public io.micrometer.core.instrument.config.MeterFilterReply accept(Meter.Id id) {
        return LINT_BREAKING.contains(id.getName())
            ? io.micrometer.core.instrument.config.MeterFilterReply.DENY
            : io.micrometer.core.instrument.config.MeterFilterReply.NEUTRAL;
      }

      @Override
      public Meter.Id map(Meter.Id id) {
        // Prometheus wants HELP text for every family; frameworks leave some meters without.
        if (id.getDescription() != null && !id.getDescription().isBlank()) {
          return id;
        }
        return new Meter.Id(
            id.getName(),
            io.micrometer.core.instrument.Tags.of(id.getTags()),
            id.getBaseUnit(),
            id.getName().replace('.', ' '),
            id.getType());
      }
    };
  }
}
