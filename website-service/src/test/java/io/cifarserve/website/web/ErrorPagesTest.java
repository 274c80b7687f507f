package io.cifarserve.website.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.website.support.InferenceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Unknown pages and wrong methods get the website's own pages, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ErrorPagesTest {

  @LocalServerPort int port;
  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void inference(DynamicPropertyRegistry registry) {
    registry.add("website.inference.url", InferenceServer::url);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Accept", "text/html")
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anUnknownPathGetsTheSitesNotFoundPage() throws Exception {
    HttpResponse<String> response = send("GET", "/no-such-page");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body())
        .contains("Page not found")
        .contains("/no-such-page")
        .contains("cifar-serve")
        .doesNotContain("Whitelabel");
    assertThat(response.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  @Test
  void aWrongMethodGetsTheSitesPage() throws Exception {
    HttpResponse<String> response = send("DELETE", "/");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.body()).contains("Not allowed here").doesNotContain("Whitelabel");
  }
}
