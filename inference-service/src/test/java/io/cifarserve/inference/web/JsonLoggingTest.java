package io.cifarserve.inference.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.ServiceProcess;
import io.cifarserve.inference.support.TestModelFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** LOG_FORMAT=json in a fresh process: every line a JSON object for Cloud Logging. */
class JsonLoggingTest {

  @Test
  void writesOneJsonObjectPerLineWithSeverityAndTheRequestTrace() throws Exception {
    try (ServiceProcess service =
        ServiceProcess.start(
            Map.of(
                "LOG_FORMAT",
                "json",
                "GOOGLE_CLOUD_PROJECT",
                "demo-project",
                "MODEL_PATH",
                "file:" + TestModelFiles.colourClassifier(),
                "ADMIN_TOKEN",
                HttpTestClient.ADMIN_TOKEN))) {
      HttpTestClient.whenReady(service.port());
      HttpRequest reload =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + service.port() + "/admin/model/reload"))
              .header("X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1")
              .header("Authorization", "Bearer " + HttpTestClient.ADMIN_TOKEN)
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      assertThat(
              HttpClient.newHttpClient()
                  .send(reload, HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      assertThat(service.terminate(15, TimeUnit.SECONDS)).isTrue();

      JsonMapper json = JsonMapper.builder().build();
      List<String> lines =
          Arrays.stream(service.output().split("\n")).filter(l -> !l.isBlank()).toList();
      List<JsonNode> logs =
          lines.stream().filter(l -> l.startsWith("{")).map(json::readTree).toList();
      // Everything Spring logs is JSON; only the JVM's own banner-free start leaves nothing else.
      assertThat(logs).hasSizeGreaterThan(5);
      assertThat(logs).allSatisfy(line -> assertThat(line.has("severity")).isTrue());
      JsonNode served =
          logs.stream()
              .filter(line -> line.get("message").asString().startsWith("serving model"))
              .filter(line -> line.has("logging.googleapis.com/trace"))
              .findFirst()
              .orElseThrow();
      assertThat(served.get("severity").asString()).isEqualTo("INFO");
      assertThat(served.get("logging.googleapis.com/trace").asString())
          .isEqualTo("projects/demo-project/traces/105445aa7843bc8bf206b12000100000");
      assertThat(served.get("logging.googleapis.com/spanId").asString()).isEqualTo("1");
    }
  }
}
