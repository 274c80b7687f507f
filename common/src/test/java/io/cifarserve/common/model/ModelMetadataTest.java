package io.cifarserve.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cifarserve.common.testing.TestMetadata;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {

  @Test
  void roundTripsThroughOnnxProperties() {
    ModelMetadata original =
        TestMetadata.colourClassifierMetadata("2026.11.23", 32)
            .withEvaluation(Map.of("test_accuracy", 0.9123, "precision.cat", 0.8), "# Card\ntext");

    ModelMetadata read = ModelMetadata.fromProperties(original.toProperties());

    assertThat(read).isEqualTo(original);
    assertThat(read.metric("test_accuracy")).contains(0.9123);
    assertThat(original.toProperties())
        .containsEntry("metric.test_accuracy", "0.9123")
        .containsEntry("labels", "airplane,automobile,bird,cat,deer,dog,frog,horse,ship,truck");
  }

  @Test
  void namesTheMissingEntry() {
    Map<String, String> props =
        new HashMap<>(TestMetadata.colourClassifierMetadata("1", 32).toProperties());
    props.remove("training_data");

    assertThatThrownBy(() -> ModelMetadata.fromProperties(props))
        .isInstanceOf(InvalidModelMetadataException.class)
        .hasMessageContaining("training_data");
  }

  @Test
  void reportsMalformedNumbers() {
    Map<String, String> props =
        new HashMap<>(TestMetadata.colourClassifierMetadata("1", 32).toProperties());
    props.put("input_size", "thirty-two");

    assertThatThrownBy(() -> ModelMetadata.fromProperties(props))
        .isInstanceOf(InvalidModelMetadataException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void refusesLabelsThatCannotBeStored() {
    ModelMetadata valid = TestMetadata.colourClassifierMetadata("1", 32);

    assertThatThrownBy(
            () ->
                new ModelMetadata(
                    valid.name(),
                    valid.version(),
                    valid.architecture(),
                    32,
                    List.of("cat", "dog, large"),
                    valid.mean(),
                    valid.std(),
                    valid.trainingData(),
                    Map.of(),
                    valid.createdAt(),
                    "",
                    Calibration.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("commas");
  }
}
