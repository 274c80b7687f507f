package io.cifarserve.website.support;

import static org.awaitility.Awaitility.await;

import io.cifarserve.common.Cifar10;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.inference.InferenceServiceApplication;
import io.cifarserve.onnxgraph.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real inference service, started once per test JVM on a random port with two models: the
 * calibrated colour classifier, the default (red pictures are airplanes, green automobiles, blue
 * birds, grey ones unsure), and {@link #REVERSED}, the same with its labels reversed (red pictures
 * are trucks).
 */
public final class InferenceServer {

  public static final String REVERSED = "reversed-colours";

  private static ConfigurableApplicationContext context;

  private InferenceServer() {}

  public static synchronized String url() {
    if (context == null) {
      context = start();
    }
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return "http://127.0.0.1:" + port;
  }

  private static ConfigurableApplicationContext start() {
    try {
      Path models = Files.createTempDirectory("website-test-models");
      Files.write(
          models.resolve("colours.onnx"),
          TestModels.colourClassifier(TestMetadata.calibratedColourClassifierMetadata("1")));
      Files.write(
          models.resolve("reversed.onnx"),
          TestModels.colourClassifier(
              TestMetadata.reversedColourClassifierMetadata(
                  REVERSED, "r1", Cifar10.MEAN, Cifar10.STD)));
      ConfigurableApplicationContext started =
          // Command-line arguments: they take precedence over any application.yml on the path.
          new SpringApplicationBuilder(InferenceServiceApplication.class)
              .run(
                  "--server.port=0",
                  "--spring.application.name=inference-service",
                  "--inference.model.location=file:" + models,
                  "--inference.model.default-name=test-colour-classifier",
                  "--inference.model.warmup-runs=1",
                  "--spring.jmx.enabled=false");
      int port = ((WebServerApplicationContext) started).getWebServer().getPort();
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(
                                      URI.create("http://127.0.0.1:" + port + "/v2/health/ready"))
                                  .build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
