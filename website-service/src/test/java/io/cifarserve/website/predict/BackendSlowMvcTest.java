package io.cifarserve.website.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.sun.net.httpserver.HttpServer;
import io.cifarserve.common.testing.TestImages;
import java.awt.Color;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A real server that answers after the read timeout: the page says it took too long. */
class BackendSlowMvcTest extends PageSliceTest {

  static HttpServer server;

  @DynamicPropertySource
  static void inference(DynamicPropertyRegistry registry) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try {
            Thread.sleep(3_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    registry.add(
        "website.inference.url", () -> "http://127.0.0.1:" + server.getAddress().getPort());
    registry.add("website.inference.read-timeout", () -> "1000ms");
    registry.add("website.inference.page-deadline", () -> "1200ms");
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @Test
  void aPageWaitsForOneDeadlineNotOneTimeoutPerCall() throws Exception {
    // The banner, the first picture and the error page's banner are three calls: one read timeout
    // each would take 3 s.
    MockMultipartFile[] pictures = new MockMultipartFile[5];
    for (int i = 0; i < pictures.length; i++) {
      pictures[i] =
          new MockMultipartFile(
              "files", "p" + i + ".png", "image/png", TestImages.png(32, 32, Color.RED));
    }
    var request = multipart("/predict");
    for (MockMultipartFile picture : pictures) {
      request.file(picture);
    }
    long started = System.nanoTime();

    mvc.perform(request)
        .andExpect(status().isServiceUnavailable())
        .andExpect(content().string(containsString("took too long")));

    assertThat((System.nanoTime() - started) / 1e9).isLessThan(2.2);
  }

  @Test
  void explainsThatThePredictionServiceTookTooLong() throws Exception {
    MockMultipartFile red =
        new MockMultipartFile("files", "red.png", "image/png", TestImages.png(32, 32, Color.RED));

    mvc.perform(multipart("/predict").file(red))
        .andExpect(status().isServiceUnavailable())
        .andExpect(content().string(containsString("took too long")));
  }
}
