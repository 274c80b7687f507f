package io.cifarserve.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ArtifactUrisTest {

  private static final MlflowSettings SERVER =
      new MlflowSettings(URI.create("https://mlflow.example.com/prefix/"), "x", null, null, null);

  @Test
  void aProxiedRootBecomesAnArtifactProxyUrlWithEachSegmentEncoded() {
    assertThat(
            ArtifactUris.proxy(SERVER, "mlflow-artifacts:/1/abc/artifacts", "model/my model.onnx"))
        .isEqualTo(
            URI.create(
                "https://mlflow.example.com/prefix/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model/my%20model.onnx"));
  }

  @Test
  void aRootTheServerDoesNotProxyIsRefusedForGoodNotRetried() {
    MlflowException refused =
        catchThrowableOfType(
            MlflowException.class,
            () -> ArtifactUris.proxy(SERVER, "gs://bucket/1/abc/artifacts", "a"));
    assertThat(refused.isTransient()).isFalse();
    assertThat(refused)
        .hasMessageContaining("gs://bucket")
        .hasMessageContaining("--serve-artifacts");
  }
}
