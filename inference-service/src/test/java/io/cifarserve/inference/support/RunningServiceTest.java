package io.cifarserve.inference.support;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port serving the colour classifier from a file, reached over real
 * HTTP. Tests start once the readiness endpoint says the model is loaded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RunningServiceTest {

  protected static final Path MODEL = TestModelFiles.colourClassifier();

  @LocalServerPort protected int port;
  protected HttpTestClient client;

  @DynamicPropertySource
  static void model(DynamicPropertyRegistry registry) {
    registry.add("inference.model.location", () -> "file:" + MODEL);
    registry.add("inference.model.warmup-runs", () -> "1");
    registry.add("inference.model.intra-op-threads", () -> "1");
  }

  @BeforeEach
  void waitUntilReady() {
    client = HttpTestClient.whenReady(port);
  }
}
