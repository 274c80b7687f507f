package io.cifarserve.mlflow;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Where the tracking server is and how to sign in, read from MLflow's own environment variables so
 * that a team's existing set-up works unchanged.
 *
 * @param trackingUri the server's base URL, http or https
 * @param experimentName the experiment runs are recorded in
 * @param token a bearer token, or null
 * @param username with {@code password}: HTTP basic authentication (wins over the token)
 */
public record MlflowSettings(
    URI trackingUri, String experimentName, String token, String username, String password) {

  public static final String TRACKING_URI = "MLFLOW_TRACKING_URI";
  public static final String EXPERIMENT_NAME = "MLFLOW_EXPERIMENT_NAME";
  public static final String TRACKING_TOKEN = "MLFLOW_TRACKING_TOKEN";
  public static final String TRACKING_USERNAME = "MLFLOW_TRACKING_USERNAME";
  public static final String TRACKING_PASSWORD = "MLFLOW_TRACKING_PASSWORD";

  /** The experiment every MLflow server has, used when no name is given. */
  public static final String DEFAULT_EXPERIMENT = "Default";

  public MlflowSettings {
    String scheme = trackingUri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          "%s must be the http(s) URL of an MLflow tracking server, was '%s'"
              .formatted(TRACKING_URI, trackingUri));
    }
    if (experimentName == null || experimentName.isBlank()) {
      experimentName = DEFAULT_EXPERIMENT;
    }
  }

  /** The settings the environment gives, or empty when {@code MLFLOW_TRACKING_URI} is not set. */
  public static Optional<MlflowSettings> fromEnvironment(Map<String, String> env) {
    return of(
        env.get(TRACKING_URI),
        env.get(EXPERIMENT_NAME),
        env.get(TRACKING_TOKEN),
        env.get(TRACKING_USERNAME),
        env.get(TRACKING_PASSWORD));
  }

  /**
   * The settings these values give, blank ones counting as unset, or empty when no tracking URI is
   * given.
   */
  public static Optional<MlflowSettings> of(
      String uri, String experimentName, String token, String username, String password) {
    if (blankToNull(uri) == null) {
      return Optional.empty();
    }
    return Optional.of(
        new MlflowSettings(
            URI.create(uri.trim()),
            experimentName,
            blankToNull(token),
            blankToNull(username),
            blankToNull(password)));
  }

  /** The same server under another experiment. */
  public MlflowSettings withExperiment(String name) {
    return new MlflowSettings(trackingUri, name, token, username, password);
  }

  /** The {@code Authorization} header value, as MLflow's own clients send it. */
  public Optional<String> authorization() {
    if (username != null && password != null) {
      String pair = username + ":" + password;
      return Optional.of(
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.ofNullable(token).map(t -> "Bearer " + t);
  }

  /** The URL of a REST path such as {@code /mlflow/runs/create}. */
  public URI api(String path) {
    String base = trackingUri.toString().replaceAll("/+$", "");
    return URI.create(base + "/api/2.0" + path);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** Never prints the credentials. */
  @Override
  public String toString() {
    return "MlflowSettings[%s, experiment %s%s]"
        .formatted(
            trackingUri,
            experimentName,
            authorization().map(a -> ", " + a.substring(0, a.indexOf(' '))).orElse(""));
  }
}
