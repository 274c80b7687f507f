package io.cifarserve.mlflow;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Turns {@code mlflow-artifacts:} locations into URLs of the tracking server's artifact proxy
 * ({@code /api/2.0/mlflow-artifacts/artifacts/...}), the one artifact path that needs no storage
 * credentials on the client. Other roots ({@code gs://}, {@code s3://}, a local path) mean the
 * server does not proxy artifacts, which this platform does not support.
 */
public final class ArtifactUris {

  public static final String SCHEME = "mlflow-artifacts";

  private ArtifactUris() {}

  /** The proxy URL of {@code path} (slash-separated, may be empty) under {@code artifactRoot}. */
  public static URI proxy(MlflowSettings settings, String artifactRoot, String path) {
    URI root = URI.create(artifactRoot);
    if (!SCHEME.equals(root.getScheme())) {
      // Not transient: retrying cannot help, so the run warns once and goes on.
      throw new MlflowException(
          400,
          "ARTIFACTS_NOT_PROXIED",
          ("the tracking server keeps artifacts at %s, not behind its artifact proxy; start it"
                  + " with --serve-artifacts and --artifacts-destination (see docs/tracking.md)")
              .formatted(artifactRoot),
          null);
    }
    String joined = (root.getPath() + "/" + path).replaceAll("/+", "/").replaceAll("^/|/$", "");
    String encoded =
        Arrays.stream(joined.split("/"))
            .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
            .collect(Collectors.joining("/"));
    return settings.api("/mlflow-artifacts/artifacts/" + encoded);
  }
}
