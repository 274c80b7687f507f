package io.cifarserve.inference.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.RunningServiceTest;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The colour classifier calls a picture red (airplane) by its mean red. On a black picture with a
 * red square top left, covering the square is what lowers "airplane" most, so that is where the map
 * must be hot.
 */
class ExplanationApiTest extends RunningServiceTest {

  private static final Color GREY = new Color(128, 128, 128);

  private static byte[] redSquareTopLeft() {
    BufferedImage picture = TestImages.solid(64, 64, GREY);
    Graphics2D g = picture.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 24, 24);
    g.dispose();
    return TestImages.encode(picture, "png");
  }

  private static double meanHeat(JsonNode heat, int size, int x0, int y0, int side) {
    double sum = 0;
    for (int y = y0; y < y0 + side; y++) {
      for (int x = x0; x < x0 + side; x++) {
        sum += heat.get(y * size + x).asDouble();
      }
    }
    return sum / (side * side);
  }

  @Test
  void mapsWhatThePredictionRestsOnAndShowsThePictureTheModelSaw() throws Exception {
    byte[] picture = redSquareTopLeft();

    Response response = client.post("/api/v1/explain?k=3", "image/png", picture);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode body = response.json();
    Response predicted = client.post("/api/v1/predict?k=3", "image/png", picture);
    assertThat(body.at("/prediction/label").asString())
        .isEqualTo(predicted.json().get("label").asString())
        .isEqualTo("airplane");
    assertThat(body.at("/prediction/probability").asDouble())
        .isEqualTo(predicted.json().get("probability").asDouble());
    assertThat(body.get("explainedLabel").asString()).isEqualTo("airplane");
    int size = body.get("size").asInt();
    assertThat(size).isEqualTo(32);
    JsonNode heat = body.get("heat");
    assertThat(heat).hasSize(size * size);
    assertThat(body.get("maxDrop").asDouble()).isPositive();
    assertThat(meanHeat(heat, size, 0, 0, 8)).isGreaterThan(0.5);
    assertThat(meanHeat(heat, size, 0, 0, 8)).isGreaterThan(4 * meanHeat(heat, size, 20, 20, 12));

    BufferedImage seen =
        ImageIO.read(
            new ByteArrayInputStream(Base64.getDecoder().decode(body.get("input").asString())));
    assertThat(seen.getWidth()).isEqualTo(32);
    assertThat(new Color(seen.getRGB(2, 2))).isEqualTo(Color.RED);
    assertThat(new Color(seen.getRGB(28, 28))).isEqualTo(GREY);
    BufferedImage thumbnail =
        ImageIO.read(
            new ByteArrayInputStream(Base64.getDecoder().decode(body.get("thumbnail").asString())));
    assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isEqualTo(Thumbnail.SIDE);
  }

  @Test
  void thumbnailShowsAWidePictureWhole() throws Exception {
    byte[] wide = io.cifarserve.common.testing.TestImages.png(900, 300, Color.GREEN);

    JsonNode body = client.post("/api/v1/explain", "image/png", wide).json();

    BufferedImage thumbnail =
        ImageIO.read(
            new ByteArrayInputStream(Base64.getDecoder().decode(body.get("thumbnail").asString())));
    assertThat(thumbnail.getWidth()).isEqualTo(Thumbnail.SIDE);
    assertThat(thumbnail.getHeight()).isEqualTo(Thumbnail.SIDE / 3);
  }

  @Test
  void explainsAnotherClassWhenAskedAndRefusesOneTheModelLacks() {
    byte[] picture = redSquareTopLeft();

    Response bird = client.post("/api/v1/explain?label=bird", "image/png", picture);
    assertThat(bird.status()).isEqualTo(200);
    assertThat(bird.json().get("explainedLabel").asString()).isEqualTo("bird");

    Response unknown = client.post("/api/v1/explain?label=unicorn", "image/png", picture);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.header("Content-Type")).contains("application/problem+json");
    assertThat(unknown.json().get("detail").asString()).contains("'unicorn'").contains("airplane");
  }
}
