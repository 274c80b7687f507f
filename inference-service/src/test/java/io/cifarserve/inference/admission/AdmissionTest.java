package io.cifarserve.inference.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.OipRequests;
import io.cifarserve.inference.support.RunningServiceTest;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Admission before the body is read, over real sockets: a request whose body is still on its way
 * holds its place, so the places can be filled on purpose.
 */
@TestPropertySource(
    properties = {
      "inference.admission.interactive-requests=1",
      "inference.admission.bulk-requests=1",
      "inference.admission.max-wait=200ms"
    })
class AdmissionTest extends RunningServiceTest {

  private static final byte[] PNG = TestImages.png(32, 32, Color.RED);

  @Autowired RequestAdmission admission;

  /** Sends a request's headers and no body, so it keeps its place until closed. */
  private Socket holdPlace(String path, String contentType, Lane lane) throws IOException {
    Socket socket = headersOnly(path, contentType, 5_000_000);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (admission.inUse(lane) < 1 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(admission.inUse(lane)).isEqualTo(1);
    return socket;
  }

  private Socket headersOnly(String path, String contentType, long length) throws IOException {
    Socket socket = new Socket("localhost", port);
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n")
            .formatted(path, contentType, length)
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  /** The status line and headers of the response on a socket, up to the blank line. */
  private static String responseHead(Socket socket) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder head = new StringBuilder();
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      head.append(line).append('\n');
    }
    return head.toString();
  }

  @Test
  void aPictureThatFindsNoPlaceGets503BeforeItsBodyIsSent() throws Exception {
    try (Socket holder = holdPlace("/api/v1/predict", "image/png", Lane.INTERACTIVE);
        Socket refused = headersOnly("/api/v1/predict", "image/png", 5_000_000)) {
      // The refused request never sends its 5 MB: the answer cannot have waited for them.
      String head = responseHead(refused);
      assertThat(head).startsWith("HTTP/1.1 503").contains("Retry-After: 1");

      HttpTestClient.Response again = client.post("/api/v1/predict", "image/png", PNG);
      assertThat(again.status()).isEqualTo(503);
      assertThat(again.json().get("type").asString()).isEqualTo("/problems/overloaded");
      assertThat(again.json().get("detail").asString())
          .contains("inference.admission.interactive-requests")
          .contains("200 ms");
    }
    // The place comes free when the holder goes away.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (admission.inUse(Lane.INTERACTIVE) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(client.post("/api/v1/predict", "image/png", PNG).status()).isEqualTo(200);
  }

  @Test
  void batchesTakeOnlyTheirOwnPlacesSoSinglePicturesStillGetIn() throws Exception {
    try (Socket batch =
        holdPlace("/api/v1/predict/batch", "multipart/form-data; boundary=x", Lane.BULK)) {
      HttpTestClient.Response secondBatch =
          client.postMultipart(
              "/api/v1/predict/batch",
              List.of(new HttpTestClient.Part("files", "a.png", "image/png", PNG)));
      assertThat(secondBatch.status()).isEqualTo(503);
      assertThat(secondBatch.json().get("detail").asString())
          .contains("inference.admission.bulk-requests");

      assertThat(client.post("/api/v1/predict", "image/png", PNG).status()).isEqualTo(200);
      // A small OIP body is a single picture's request, and also still gets in.
      String model = client.get("/api/v1/model").json().get("name").asString();
      assertThat(
              client.postJson("/v2/models/" + model + "/infer", OipRequests.images(PNG)).status())
          .isEqualTo(200);
    }
  }
}
