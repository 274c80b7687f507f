package io.cifarserve.inference.model;

import io.cifarserve.mlflow.MlflowSettings;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The MLflow tracking server a {@code models:/} location is read from, bound from MLflow's own
 * variables: {@code MLFLOW_TRACKING_URI}, and {@code MLFLOW_TRACKING_TOKEN} or {@code
 * MLFLOW_TRACKING_USERNAME}/{@code MLFLOW_TRACKING_PASSWORD}.
 */
@ConfigurationProperties("mlflow")
public record MlflowProperties(Tracking tracking) {

  /** {@code mlflow.tracking.*}, which the {@code MLFLOW_TRACKING_*} variables set. */
  public record Tracking(String uri, String token, String username, String password) {}

  /** The server's settings, or empty when no tracking URI is set. */
  public Optional<MlflowSettings> settings() {
    if (tracking == null) {
      return Optional.empty();
    }
    return MlflowSettings.of(
        tracking.uri(), null, tracking.token(), tracking.username(), tracking.password());
  }
}
