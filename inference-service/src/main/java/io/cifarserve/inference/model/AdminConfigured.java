package io.cifarserve.inference.model;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** True when the admin endpoints may exist: enabled, and a token set or local use asked for. */
class AdminConfigured implements Condition {

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Environment env = context.getEnvironment();
    boolean enabled = env.getProperty("inference.admin.enabled", Boolean.class, true);
    boolean token = !env.getProperty("inference.admin.token", "").isBlank();
    boolean local = env.getProperty("inference.admin.local-without-token", Boolean.class, false);
    return enabled && (token || local);
  }
}
