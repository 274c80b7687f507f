package io.cifarserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;

/**
 * Both service images, built from dockerfiles/ and the jars Maven just built, on one Docker network
 * with PORT set as Cloud Run sets it. The inference image serves its baked-in model.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersEndToEndTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String BASE_IMAGE =
      System.getenv().getOrDefault("CONTAINER_BASE_IMAGE", "eclipse-temurin:25-jre");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Network network;
  static GenericContainer<?> inference;
  static GenericContainer<?> website;

  @BeforeAll
  static void start() throws IOException {
    boolean docker = DockerClientFactory.instance().isDockerAvailable();
    if (System.getenv("CI") != null) {
      assertThat(docker).as("CI starts a Docker engine (scripts/container-test-setup.sh)").isTrue();
    }
    Assumptions.assumeTrue(docker, "no Docker engine reachable: container tests skipped");
    network = Network.newNetwork();
    inference =
        new GenericContainer<>(serviceImage("inference-service"))
            .withNetwork(network)
            .withNetworkAliases("inference")
            .withEnv("PORT", "8080")
            // A wide batching window keeps a request in flight for the shutdown check.
            .withEnv("INFERENCE_BATCHING_MAX_QUEUE_DELAY", "1500ms")
            .withEnv("INFERENCE_BATCHING_MAX_BATCH_SIZE", "64")
            .withExposedPorts(8080)
            .waitingFor(
                Wait.forHttp("/actuator/health/readiness")
                    .forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(3)));
    website =
        new GenericContainer<>(serviceImage("website-service"))
            .withNetwork(network)
            .withEnv("PORT", "8080")
            .withEnv("INFERENCE_URL", "http://inference:8080")
            .withExposedPorts(8080)
            .waitingFor(
                Wait.forHttp("/actuator/health/readiness")
                    .forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(3)));
    inference.start();
    website.start();
  }

  @AfterAll
  static void stop() {
    Stream.of(website, inference).filter(c -> c != null).forEach(GenericContainer::stop);
    if (network != null) {
      network.close();
    }
  }

  private static ImageFromDockerfile serviceImage(String service) throws IOException {
    return image(service, "dockerfiles/service.Dockerfile", builtJar(service, ".*-exec\\.jar"))
        .withBuildArg("SERVICE", service);
  }

  /** The jar in {@code module}/target whose name matches {@code pattern}. */
  private static Path builtJar(String module, String pattern) throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve(module).resolve("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches(pattern))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("build " + module + " first"));
    }
  }

  /** The image a Dockerfile builds from one module's jar, on the tests' base image. */
  private static ImageFromDockerfile image(String module, String dockerfile, Path jar) {
    return new ImageFromDockerfile("cifar-serve/" + module + ":test", false)
        .withFileFromPath(dockerfile, ROOT.resolve(dockerfile))
        .withFileFromPath("dockerfiles/memory.env", ROOT.resolve("dockerfiles/memory.env"))
        .withFileFromPath(module + "/target/" + jar.getFileName(), jar)
        .withDockerfilePath(dockerfile)
        .withBuildArg("BASE_IMAGE", BASE_IMAGE);
  }

  private static String url(GenericContainer<?> container, String path) {
    return "http://" + container.getHost() + ":" + container.getMappedPort(8080) + path;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(1)
  void bothServicesAreHealthyAndServeTheBakedInModel() throws Exception {
    assertThat(get(url(inference, "/actuator/health/liveness")).statusCode()).isEqualTo(200);
    assertThat(get(url(website, "/actuator/health/readiness")).statusCode()).isEqualTo(200);
    HttpResponse<String> model = get(url(inference, "/api/v1/model"));
    assertThat(model.body())
        .contains("\"name\":\"cifar10-resnet18\"")
        .contains("classpath:models/cifar10-resnet18.onnx");
    assertThat(inference.getLogs()).contains("\"severity\":\"INFO\"");
  }

  /**
   * Time to ready inside each container, from the container's start to the log line that makes it
   * ready (the model served; the website started), both on the container's clock. Recorded, not
   * asserted: a wall-clock figure depends on the machine. The class data sharing archive must map.
   */
  @Test
  @Order(1)
  void recordsTimeToReadyWithTheClassDataSharingArchiveInUse() throws Exception {
    double inferenceSeconds = secondsToLogLine(inference, "serving model");
    double websiteSeconds = secondsToLogLine(website, "Started WebsiteApplication");
    String report =
        ("| image | seconds from container start to ready |%n|---|---:|%n"
                + "| inference-service | %.2f |%n| website-service | %.2f |%n")
            .formatted(inferenceSeconds, websiteSeconds);
    System.out.println("\n" + report);
    Path out = Path.of("target", "container-startup.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);

    assertThat(inferenceSeconds).isPositive();
    assertThat(websiteSeconds).isPositive();
    // The JVM warns under [cds] when the archive does not fit the JVM or class path.
    assertThat(inference.getLogs()).doesNotContain("[cds]");
    assertThat(website.getLogs()).doesNotContain("[cds]");
  }

  private static double secondsToLogLine(GenericContainer<?> container, String marker) {
    Instant started = Instant.parse(container.getContainerInfo().getState().getStartedAt());
    for (String line : container.getLogs().split("\n")) {
      Matcher timestamp = TIMESTAMP.matcher(line);
      if (line.contains(marker) && timestamp.find()) {
        return Duration.between(started, Instant.parse(timestamp.group(1))).toMillis() / 1000.0;
      }
    }
    throw new AssertionError("no log line with '" + marker + "':\n" + container.getLogs());
  }

  private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");

  @Test
  @Order(2)
  void aPredictionThroughTheWebsiteReachesTheInferenceContainer() throws Exception {
    String boundary = "----cifar" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"red.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(TestImages.png(32, 32, Color.RED));
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> page =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url(website, "/predict")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(page.statusCode()).isEqualTo(200);
    // A flat red picture is none of the ten classes: the answer is a class or, as today, "not
    // sure".
    assertThat(page.body())
        .contains("red.png")
        .containsAnyOf("data-testid=\"result-label\"", "Not sure: this may not be one of the ten");
    assertThat(get(url(inference, "/actuator/prometheus")).body())
        .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/api/v1/explain\"");
  }

  @Test
  @Order(3)
  void sigtermLetsTheRequestInFlightFinishAndExitsWithinTenSeconds() throws Exception {
    CompletableFuture<HttpResponse<String>> inFlight =
        HTTP.sendAsync(
            HttpRequest.newBuilder(URI.create(url(inference, "/api/v1/predict")))
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.png(32, 32, Color.BLUE)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Thread.sleep(400);
    assertThat(inFlight).isNotDone();

    long signalled = System.nanoTime();
    // docker stop: SIGTERM, then SIGKILL after 10 s, as Cloud Run does.
    inference.getDockerClient().stopContainerCmd(inference.getContainerId()).withTimeout(10).exec();
    double seconds = (System.nanoTime() - signalled) / 1e9;

    assertThat(seconds).isLessThan(10);
    HttpResponse<String> response = inFlight.get(5, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"label\"");
    Long exitCode =
        inference
            .getDockerClient()
            .inspectContainerCmd(inference.getContainerId())
            .exec()
            .getState()
            .getExitCodeLong();
    assertThat(exitCode).as("exit on SIGTERM, not SIGKILL (137)").isNotEqualTo(137L);
  }

  /** The training job's image starts its command line on the same base as the services. */
  @Test
  @Order(4)
  void theTrainingJobImageRunsItsCommandLine() throws Exception {
    ImageFromDockerfile image =
        image(
            "training-job",
            "dockerfiles/training-job.Dockerfile",
            builtJar("training-job", "training-job-.*\\.jar"));
    try (GenericContainer<?> job =
        new GenericContainer<>(image)
            .withCommand("--help")
            .withStartupCheckStrategy(
                new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(2)))) {
      job.start();
      assertThat(job.getLogs()).contains("Usage: training-job").contains("train");
    }
  }

  /**
   * The batch-prediction image classifies a folder with a mounted model: ONNX Runtime's natives
   * from the image, an unreadable file as an error line, and the AOT cache its build recorded in
   * use.
   */
  @Test
  @Order(5)
  void theBatchPredictionImageClassifiesAFolder() throws Exception {
    ImageFromDockerfile image =
        image(
                "batch-prediction",
                "dockerfiles/batch-prediction.Dockerfile",
                builtJar("batch-prediction", "batch-prediction-.*\\.jar"))
            .withFileFromPath(
                "models/cifar10-resnet18-int8.onnx",
                ROOT.resolve("models/cifar10-resnet18-int8.onnx"));
    try (Stream<Path> lib = Files.list(ROOT.resolve("batch-prediction/target/lib"))) {
      lib.forEach(
          jar -> image.withFileFromPath("batch-prediction/target/lib/" + jar.getFileName(), jar));
    }
    for (String chart : new String[] {"curves.png", "reliability.png", "confusion-matrix.png"}) {
      image.withFileFromPath("models/" + chart, ROOT.resolve("models").resolve(chart));
    }
    try (GenericContainer<?> job =
        new GenericContainer<>(image)
            .withCopyToContainer(
                Transferable.of(TestImages.png(64, 48, Color.RED)), "/input/red.png")
            .withCopyToContainer(
                Transferable.of(TestImages.jpeg(40, 40, Color.BLUE)), "/input/nested/blue.jpg")
            .withCopyToContainer(Transferable.of("not a picture"), "/input/notes.txt")
            .withCopyFileToContainer(
                MountableFile.forHostPath(ROOT.resolve("models/cifar10-resnet18.onnx")),
                "/models/model.onnx")
            .withCommand(
                "predict-dir", "/input", "--model", "/models/model.onnx", "--out", "/tmp/out")
            .withStartupCheckStrategy(
                new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(2)))) {
      job.start();

      assertThat(job.getLogs())
          .contains("shard 0 of 1: 3 files, 3 to classify")
          .contains("shard 0 of 1: 2 predictions and 1 errors")
          .doesNotContainIgnoringCase("unable to use")
          .doesNotContainIgnoringCase("error has occurred while processing the AOT cache")
          .doesNotContainIgnoringCase("mismatch");
    }
  }
}
