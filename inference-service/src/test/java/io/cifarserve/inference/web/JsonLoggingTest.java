package io.cifarserve.inference.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.TestModelFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "LOG_FORMAT=json")
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class JsonLoggingTest {

  private static final java.nio.file.Path MODEL = TestModelFiles.colourClassifier();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void model(DynamicPropertyRegistry registry) {
    registry.add("inference.model.location", () -> "file:" + MODEL);
  }

  @Test
  void writesOneJsonObjectPerLineWithSeverityAndTheRequestTrace(CapturedOutput output)
      throws Exception {
    HttpTestClient.whenReady(port);
    HttpRequest reload =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/model/reload"))
            .header("X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    assertThat(
            HttpClient.newHttpClient()
                .send(reload, HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);

    JsonMapper json = JsonMapper.builder().build();
    List<JsonNode> lines =
        Arrays.stream(output.getOut().split("\n"))
            .filter(line -> line.startsWith("{"))
            .map(json::readTree)
            .toList();
    assertThat(lines).isNotEmpty();
    assertThat(lines).allSatisfy(line -> assertThat(line.has("severity")).isTrue());
    JsonNode served =
        lines.stream()
            .filter(line -> line.get("message").asString().startsWith("serving model"))
            .filter(line -> line.has("logging.googleapis.com/trace"))
            .findFirst()
            .orElseThrow();
    assertThat(served.get("severity").asString()).isEqualTo("INFO");
    assertThat(served.get("logging.googleapis.com/trace").asString())
        .endsWith("105445aa7843bc8bf206b12000100000");
    assertThat(served.get("logging.googleapis.com/spanId").asString()).isEqualTo("1");
  }
}
