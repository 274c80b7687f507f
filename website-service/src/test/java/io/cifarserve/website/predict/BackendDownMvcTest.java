package io.cifarserve.website.predict;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cifarserve.common.testing.TestImages;
import java.awt.Color;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Nothing listens at the inference URL: the page says so, with 503. */
class BackendDownMvcTest extends PageSliceTest {

  @DynamicPropertySource
  static void inference(DynamicPropertyRegistry registry) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    registry.add("website.inference.url", () -> "http://127.0.0.1:" + closedPort);
  }

  @Test
  void explainsThatThePredictionServiceIsNotReachable() throws Exception {
    MockMultipartFile red =
        new MockMultipartFile("files", "red.png", "image/png", TestImages.png(32, 32, Color.RED));

    mvc.perform(multipart("/predict").file(red))
        .andExpect(status().isServiceUnavailable())
        .andExpect(content().string(containsString("not reachable right now")))
        .andExpect(content().string(containsString("not answering right now")));
  }
}
