package io.cifarserve.inference.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient.Part;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.RunningServiceTest;
import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The default limits agree: a batch of pictures each within MAX_UPLOAD_SIZE is not refused. */
class BatchLimitsTest extends RunningServiceTest {

  @Test
  void aBatchOfLargePicturesPastTheOld50MbRequestLimitIsClassified() {
    BufferedImage noise = new BufferedImage(1800, 1800, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(7);
    for (int y = 0; y < noise.getHeight(); y++) {
      for (int x = 0; x < noise.getWidth(); x++) {
        noise.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    byte[] png = TestImages.encode(noise, "png");
    assertThat(png.length).isBetween(9_000_000, 10_000_000);

    // Six pictures of about 9.5 MB: 57 MB in one request, each under the 10MB MAX_UPLOAD_SIZE.
    Response response =
        client.postMultipart(
            "/api/v1/predict/batch",
            Collections.nCopies(6, new Part("files", "noise.png", "image/png", png)));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("succeeded").asInt()).isEqualTo(6);
    assertThat(response.json().get("results").size()).isEqualTo(6);
  }
}
