package io.cifarserve.inference.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.RunningServiceTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole service on a real port, for fuzz tests that send it what a client could: its own Spring
 * context (admin token set, small upload limits so that fuzzed bodies reach them), so that what a
 * fuzzed upload changes stays out of the other tests.
 *
 * <p>Every answer must be a documented one: a success, or a 4xx {@code application/problem+json}
 * whose detail says what was wrong. A 5xx, a request that does not finish, or an exception in the
 * test is a finding. In fuzzing mode each input has 2 s (scripts/fuzz.sh); here, 10.
 */
@TestPropertySource(
    properties = {
      "inference.admin.token=" + HttpTestClient.ADMIN_TOKEN,
      "inference.upload.max-image-size=256KB",
      "inference.upload.max-json-size=1MB"
    })
@Timeout(value = 10, unit = TimeUnit.SECONDS)
abstract class FuzzedServiceTest extends RunningServiceTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  protected HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30));
  }

  /**
   * Sends a request to the service under test. Jazzer's server-side request forgery detector
   * reports any connection a fuzz test opens; this one is the point, so it is allowed.
   */
  protected HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    try (SilentCloseable toTheServiceOnly =
        BugDetectors.allowNetworkConnections(
            (host, p) -> p == port && (host.equals("127.0.0.1") || host.equals("localhost")))) {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** A 2xx, or a 4xx problem with a detail: nothing else is a documented answer. */
  protected static void assertDocumented(HttpResponse<String> response) {
    int status = response.statusCode();
    assertThat(status).as(response.body()).isBetween(200, 499);
    if (status >= 400) {
      assertThat(response.headers().firstValue("Content-Type"))
          .as("content type of a %d", status)
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      assertThat(response.body()).contains("\"status\":" + status).contains("\"detail\"");
    }
  }
}
