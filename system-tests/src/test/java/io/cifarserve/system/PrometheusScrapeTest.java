package io.cifarserve.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.InferenceServiceApplication;
import io.cifarserve.onnxgraph.TestModels;
import io.cifarserve.website.WebsiteApplication;
import java.awt.Color;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus scrapes both running services; the request counter and the latency histogram
 * are read back through Prometheus' HTTP API, as a dashboard would.
 */
class PrometheusScrapeTest {

  private static final File PROMETHEUS = new File("/usr/bin/prometheus");
  private static final Path DASHBOARD =
      Path.of("..", "monitoring", "dashboard.json").toAbsolutePath().normalize();
  private static final Path ALERTS =
      Path.of("..", "monitoring", "alerts.yml").toAbsolutePath().normalize();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path work;
  static ConfigurableApplicationContext inference;
  static ConfigurableApplicationContext website;
  static Process prometheus;
  static int prometheusPort;

  @BeforeAll
  static void start() throws Exception {
    if (System.getenv("CI") != null) {
      assertThat(PROMETHEUS).as("CI installs the prometheus package").exists();
    }
    Assumptions.assumeTrue(PROMETHEUS.canExecute(), "prometheus not installed");
    Path model = Files.write(work.resolve("model.onnx"), TestModels.colourClassifier());
    inference =
        new SpringApplicationBuilder(InferenceServiceApplication.class)
            .run("--server.port=0", "--inference.model.location=file:" + model);
    website =
        new SpringApplicationBuilder(WebsiteApplication.class)
            .run("--server.port=0", "--website.inference.url=http://127.0.0.1:" + port(inference));

    prometheusPort = freePort();
    Path config =
        Files.writeString(
            work.resolve("prometheus.yml"),
            """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - %s
            scrape_configs:
              - job_name: inference-service
                metrics_path: /actuator/prometheus
                static_configs:
                  - targets: ["127.0.0.1:%d"]
              - job_name: website-service
                metrics_path: /actuator/prometheus
                static_configs:
                  - targets: ["127.0.0.1:%d"]
            """
                .formatted(ALERTS, port(inference), port(website)));
    prometheus =
        new ProcessBuilder(
                PROMETHEUS.getPath(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.destroy();
    }
    if (website != null) {
      website.close();
    }
    if (inference != null) {
      inference.close();
    }
  }

  private static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static int post(String url, String contentType, byte[] body) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static JsonNode query(String promql) throws Exception {
    String url =
        "http://127.0.0.1:%d/api/v1/query?query=%s"
            .formatted(prometheusPort, URLEncoder.encode(promql, StandardCharsets.UTF_8));
    String body =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    JsonNode response = JSON.readTree(body);
    assertThat(response.get("status").asString()).isEqualTo("success");
    return response.at("/data/result");
  }

  private static double value(JsonNode result) {
    return result.isEmpty() ? -1 : Double.parseDouble(result.get(0).at("/value/1").asString());
  }

  /** The shipped alerting rules load, and every one evaluates against the live series. */
  @Test
  void theAlertingRulesEvaluateWithoutErrorsAgainstTheLiveServices() throws Exception {
    String url = "http://127.0.0.1:%d/api/v1/rules".formatted(prometheusPort);
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode groups =
                  JSON.readTree(
                          HTTP.send(
                                  HttpRequest.newBuilder(URI.create(url)).build(),
                                  HttpResponse.BodyHandlers.ofString())
                              .body())
                      .at("/data/groups");
              List<JsonNode> rules = new ArrayList<>();
              groups.forEach(group -> group.get("rules").forEach(rules::add));
              assertThat(rules).hasSize(13);
              assertThat(rules)
                  .allSatisfy(
                      rule -> {
                        assertThat(rule.get("health").asString())
                            .as(rule.get("name").asString() + ": " + rule.path("lastError"))
                            .isEqualTo("ok");
                        assertThat(rule.get("lastEvaluation").asString()).doesNotStartWith("0001");
                      });
            });
    // The readiness gauge the not-ready alert reads is there.
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> value(query("inference_model_ready{job=\"inference-service\"}")) == 1);
  }

  /** Waits until the inference service has loaded its model; returns its base URL. */
  private static String awaitInferenceReady() {
    String inferenceUrl = "http://127.0.0.1:" + port(inference);
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                HTTP.send(
                            HttpRequest.newBuilder(URI.create(inferenceUrl + "/v2/health/ready"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
    return inferenceUrl;
  }

  /** Every query of the shipped dashboard parses and returns series from the live services. */
  @Test
  void everyDashboardQueryReturnsDataFromTheLiveServices() throws Exception {
    String inferenceUrl = awaitInferenceReady();
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    dashboard
        .get("panels")
        .forEach(panel -> panel.get("targets").forEach(t -> queries.add(t.get("expr").asString())));
    assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              // Traffic during the wait, so that every rate has two samples to compare.
              post(
                  inferenceUrl + "/api/v1/predict", "image/png", TestImages.png(32, 32, Color.RED));
              post(inferenceUrl + "/api/v1/predict", "text/plain", "not a picture".getBytes());
              for (String promql : queries) {
                assertThat(query(promql.replace("$__rate_interval", "1m"))).as(promql).isNotEmpty();
              }
            });
  }

  @Test
  void prometheusReadsRequestCountsAndLatencyHistogramsFromBothServices() throws Exception {
    String inferenceUrl = awaitInferenceReady();
    for (int i = 0; i < 5; i++) {
      assertThat(
              post(
                  inferenceUrl + "/api/v1/predict", "image/png", TestImages.png(32, 32, Color.RED)))
          .isEqualTo(200);
    }
    String websiteUrl = "http://127.0.0.1:" + port(website);
    HTTP.send(
        HttpRequest.newBuilder(URI.create(websiteUrl + "/")).build(),
        HttpResponse.BodyHandlers.discarding());

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                value(
                        query(
                            "sum(http_server_requests_seconds_count{job=\"inference-service\","
                                + "uri=\"/api/v1/predict\",status=\"200\"})"))
                    >= 5);
    JsonNode buckets =
        query(
            "http_server_requests_seconds_bucket{job=\"inference-service\","
                + "uri=\"/api/v1/predict\",le=\"+Inf\"}");
    assertThat(value(buckets)).isGreaterThanOrEqualTo(5);
    JsonNode p99 =
        query(
            "histogram_quantile(0.99, sum by (le) (http_server_requests_seconds_bucket"
                + "{job=\"inference-service\",uri=\"/api/v1/predict\"}))");
    assertThat(value(p99)).isPositive();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                value(
                        query(
                            "sum(http_server_requests_seconds_count{job=\"website-service\",uri=\"/\"})"))
                    >= 1);
    assertThat(value(query("up{job=\"website-service\"}"))).isEqualTo(1);
    assertThat(value(query("sum(inference_predictions_total{class=\"airplane\"})")))
        .isGreaterThanOrEqualTo(5);
  }
}
