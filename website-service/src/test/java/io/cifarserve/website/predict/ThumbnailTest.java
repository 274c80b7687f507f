package io.cifarserve.website.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailTest {

  private final Thumbnail thumbnail = new Thumbnail(50_000_000);

  @Test
  void showsTheWholePictureWithTheClassifiedSquareOutlined() throws Exception {
    byte[] wide = TestImages.png(2000, 1000, Color.BLUE);

    BufferedImage small = decode(thumbnail.dataUri(wide));

    assertThat(small.getWidth()).isEqualTo(Thumbnail.SIDE);
    assertThat(small.getHeight()).isEqualTo(Thumbnail.SIDE / 2);
    // The square is the middle half of the width: its left edge is outlined, the far left is not.
    Color edge = new Color(small.getRGB(Thumbnail.SIDE / 4 + 1, Thumbnail.SIDE / 4));
    Color outside = new Color(small.getRGB(5, Thumbnail.SIDE / 4));
    assertThat(edge.getRed()).isGreaterThan(200);
    assertThat(outside.getRed()).isLessThan(20);
    assertThat(outside.getBlue()).isGreaterThan(200);
  }

  @Test
  void givesNothingForBytesThatAreNoPicture() {
    assertThat(thumbnail.dataUri("not a picture".getBytes())).isNull();
  }

  private static BufferedImage decode(String dataUri) throws Exception {
    String prefix = "data:image/png;base64,";
    assertThat(dataUri).startsWith(prefix);
    byte[] png = Base64.getDecoder().decode(dataUri.substring(prefix.length()));
    return ImageIO.read(new ByteArrayInputStream(png));
  }
}
