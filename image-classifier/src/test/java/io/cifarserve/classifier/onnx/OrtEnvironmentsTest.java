package io.cifarserve.classifier.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrtEnvironmentsTest {

  @Test
  void leavesNoTelemetryLogInTheTemporaryFolder() {
    assertThat(OrtEnvironments.get()).isSameAs(OrtEnvironments.get());

    assertThat(OrtEnvironments.telemetryLog()).doesNotExist();
  }
}
