package io.cifarserve.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.testing.TestImages;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.inference.model.ModelRegistry;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.RunningServiceTest;
import io.cifarserve.onnxgraph.TestModels;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Swaps between two models while clients keep predicting. The models share a graph but not their
 * labels (model B's are in reverse order) nor their normalisation (B takes raw [0,1] pixels), so a
 * response that mixed one model's labels, preprocessing or probabilities with the other's would
 * show: every answer must be exactly what the model it names gives for the picture.
 */
@TestPropertySource(properties = {"inference.batching.max-batch-size=8"})
class ModelSwapUnderLoadTest extends RunningServiceTest {

  @Autowired ModelRegistry registry;

  private static final ModelMetadata A = TestMetadata.colourClassifierMetadata("A", 32);
  private static final ModelMetadata B =
      TestMetadata.reversedColourClassifierMetadata(
          A.name(), "B", List.of(0f, 0f, 0f), List.of(1f, 1f, 1f));

  /** The class and probability a model answers for the picture, measured with it alone. */
  private record Answer(String label, double probability) {}

  private Answer answerOf(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return new Answer(
        response.json().get("label").asString(), response.json().get("probability").asDouble());
  }

  @Test
  void everyResponseDuringSwapsIsConsistentWithTheModelItNames() throws Exception {
    byte[] red = TestImages.png(32, 32, Color.RED);
    registry.load(TestModels.colourClassifier(A), "test A");
    Answer a = answerOf(client.post("/api/v1/predict", "image/png", red));
    registry.load(TestModels.colourClassifier(B), "test B");
    Answer b = answerOf(client.post("/api/v1/predict", "image/png", red));
    // Both models score red as their class 0, under different names and with other confidence.
    assertThat(a.label()).isEqualTo("airplane");
    assertThat(b.label()).isEqualTo("truck");
    assertThat(Math.abs(a.probability() - b.probability())).isGreaterThan(0.01);
    Map<String, Answer> expected = Map.of("A", a, "B", b);

    AtomicBoolean swapping = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(9);
    Future<Integer> swaps =
        pool.submit(
            () -> {
              int n = 0;
              while (swapping.get()) {
                registry.load(TestModels.colourClassifier(n % 2 == 0 ? A : B), "swap " + n);
                n++;
              }
              return n;
            });
    List<Future<List<Response>>> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      clients.add(
          pool.submit(
              () -> {
                List<Response> responses = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                  responses.add(client.post("/api/v1/predict", "image/png", red));
                }
                return responses;
              }));
    }
    List<Response> responses = new ArrayList<>();
    for (Future<List<Response>> future : clients) {
      responses.addAll(future.get());
    }
    swapping.set(false);
    int swapCount = swaps.get();
    pool.shutdown();

    assertThat(swapCount).isGreaterThan(2);
    assertThat(responses).hasSize(320);
    java.util.Set<String> versionsSeen = new java.util.HashSet<>();
    for (Response response : responses) {
      Answer answer = answerOf(response);
      String version = response.json().at("/model/version").asString();
      versionsSeen.add(version);
      assertThat(answer.label()).as("version %s", version).isEqualTo(expected.get(version).label());
      assertThat(answer.probability())
          .as("version %s", version)
          .isCloseTo(
              expected.get(version).probability(), org.assertj.core.api.Assertions.within(1e-6));
    }
    assertThat(versionsSeen).containsExactlyInAnyOrder("A", "B");
  }
}
