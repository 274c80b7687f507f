package io.cifarserve.inference.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailTest {

  @Test
  void showsTheWholePictureWithTheClassifiedSquareOutlined() throws Exception {
    BufferedImage wide = TestImages.solid(400, 200, Color.BLUE);

    BufferedImage small =
        ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(Thumbnail.png(wide))));

    assertThat(small.getWidth()).isEqualTo(Thumbnail.SIDE);
    assertThat(small.getHeight()).isEqualTo(Thumbnail.SIDE / 2);
    // The square is the middle half of the width: its left edge is outlined, the far left is not.
    Color edge = new Color(small.getRGB(Thumbnail.SIDE / 4 + 1, Thumbnail.SIDE / 4));
    Color outside = new Color(small.getRGB(5, Thumbnail.SIDE / 4));
    assertThat(edge.getRed()).isGreaterThan(200);
    assertThat(outside.getRed()).isLessThan(20);
    assertThat(outside.getBlue()).isGreaterThan(200);
  }
}
