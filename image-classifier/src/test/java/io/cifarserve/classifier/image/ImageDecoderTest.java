package io.cifarserve.classifier.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cifarserve.common.testing.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

  private final ImageDecoder decoder = new ImageDecoder();

  @ParameterizedTest
  @ValueSource(strings = {"png", "jpeg", "bmp", "gif"})
  void decodesEverySupportedFormatToRgb(String format) {
    byte[] bytes = TestImages.encode(TestImages.solid(40, 30, new Color(200, 30, 30)), format);

    BufferedImage image = decoder.decode(bytes);

    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(image.getWidth()).isEqualTo(40);
    assertThat(image.getHeight()).isEqualTo(30);
    assertColourNear(image.getRGB(20, 15), 200, 30, 30, 12);
  }

  @Test
  void aBmpCarryingAnEmbeddedPngIsRefusedBeforeItsPixelsAreRead() throws Exception {
    // Found by ImageDecoderFuzzTest: 71 bytes whose embedded PNG filled a 512 MB heap.
    byte[] bmp;
    try (var in =
        getClass()
            .getResourceAsStream(
                "ImageDecoderFuzzTestInputs/decodeCentreSquare/crash-bmp-embedding-a-png-fills-the-heap")) {
      bmp = in.readAllBytes();
    }

    assertThatThrownBy(() -> new ImageDecoder().decodeCentreSquare(bmp, 256))
        .isInstanceOf(UnsupportedImageFormatException.class)
        .hasMessageContaining("embedded JPEG or PNG");
    assertThat(
            new ImageDecoder().decode(TestImages.encode(TestImages.solid(5, 4, Color.RED), "bmp")))
        .extracting(BufferedImage::getWidth)
        .isEqualTo(5);
  }

  @Test
  void grayscaleBecomesRgbWithEqualChannels() {
    BufferedImage gray = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = gray.createGraphics();
    g.setColor(new Color(90, 90, 90));
    g.fillRect(0, 0, 8, 8);
    g.dispose();

    BufferedImage image = decoder.decode(TestImages.encode(gray, "png"));

    assertColourNear(image.getRGB(3, 3), 90, 90, 90, 1);
  }

  @Test
  void transparentPixelsAreCompositedOverWhite() {
    BufferedImage argb = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0xFF00FF00); // opaque green
    // every other pixel stays fully transparent

    BufferedImage image = decoder.decode(TestImages.encode(argb, "png"));

    assertColourNear(image.getRGB(0, 0), 0, 255, 0, 0);
    assertColourNear(image.getRGB(5, 5), 255, 255, 255, 0);
  }

  @Test
  void readsOnlyTheCentreSquareOfAFarLargerPictureSubsampled() {
    byte[] png = TestImages.encode(TestImages.halves(3000, 1000, Color.RED, Color.BLUE), "png");

    BufferedImage image = decoder.decodeCentreSquare(png, 256);

    // The middle 1000 x 1000, every third pixel of every third row (1000 / 256 = 3).
    assertThat(image.getHeight()).isEqualTo(334);
    assertThat(image.getWidth()).isEqualTo(334);
    assertThat(new Color(image.getRGB(10, 10))).isEqualTo(Color.RED);
    assertThat(new Color(image.getRGB(image.getWidth() - 10, 10))).isEqualTo(Color.BLUE);
    assertThat(decoder.decode(png).getWidth()).isEqualTo(3000);
  }

  @Test
  void aLongStripDecodesToASmallSquareWhateverItsLength() {
    byte[] png = TestImages.encode(TestImages.halves(20_000, 300, Color.RED, Color.BLUE), "png");

    BufferedImage image = decoder.decodeCentreSquare(png, 256);

    assertThat(image.getWidth()).isEqualTo(300);
    assertThat(image.getHeight()).isEqualTo(300);
  }

  @Test
  void reservesTheDeclaredPixelsBeforeDecodingAndGivesThemBack() {
    List<Long> held = new ArrayList<>();
    AtomicLong holding = new AtomicLong();
    ImageDecoder budgeted =
        new ImageDecoder(
            ImageDecoder.DEFAULT_MAX_PIXELS,
            (format, pixels) -> {
              assertThat(format).isEqualTo("png");
              held.add(pixels);
              holding.addAndGet(pixels);
              return () -> holding.addAndGet(-pixels);
            });

    budgeted.decodeCentreSquare(TestImages.png(640, 480, Color.GRAY), 256);

    assertThat(held).containsExactly(640L * 480);
    assertThat(holding).hasValue(0);
  }

  @Test
  void aRefusedReservationPropagatesAsItIsWithoutDecoding() {
    IllegalStateException full = new IllegalStateException("no room");
    ImageDecoder refusing =
        new ImageDecoder(
            ImageDecoder.DEFAULT_MAX_PIXELS,
            (format, pixels) -> {
              throw full;
            });

    assertThatThrownBy(() -> refusing.decode(TestImages.png(64, 64, Color.GRAY))).isSameAs(full);
  }

  @Test
  void cmykJpegsWithoutAColourProfileDecodeToRgb() throws Exception {
    // Written by ImageMagick (-colorspace CMYK), as print workflows do; no ICC profile.
    for (String name : List.of("cmyk-no-icc-red.jpg", "cmyk-no-icc-red-subsampled.jpg")) {
      byte[] bytes;
      try (var in = getClass().getResourceAsStream("/images/" + name)) {
        bytes = in.readAllBytes();
      }
      BufferedImage image = new ImageDecoder().decode(bytes);
      Color pixel = new Color(image.getRGB(5, 5));
      assertThat(pixel.getRed()).as(name).isGreaterThan(200);
      assertThat(pixel.getGreen()).as(name).isLessThan(60);
      assertThat(pixel.getBlue()).as(name).isLessThan(60);
    }
  }

  @Test
  void cmykJpegIsDecodedToRgb() throws Exception {
    // Four-channel JPEG as print workflows write it; the JDK's own reader refuses these.
    BufferedImage cmykCarrier = new BufferedImage(16, 16, BufferedImage.TYPE_4BYTE_ABGR);
    WritableRaster raster = cmykCarrier.getRaster().createCompatibleWritableRaster();
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        raster.setPixel(x, y, new int[] {0, 0, 0, 0});
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(raster, null, null), null);
    } finally {
      writer.dispose();
    }

    BufferedImage image = decoder.decode(out.toByteArray());

    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(image.getWidth()).isEqualTo(16);
    int rgb = image.getRGB(8, 8);
    int r = (rgb >> 16) & 0xFF;
    int g = (rgb >> 8) & 0xFF;
    int b = rgb & 0xFF;
    // All four inks at the same level give a neutral colour whatever the ink convention.
    assertThat(Math.abs(r - g)).isLessThan(25);
    assertThat(Math.abs(g - b)).isLessThan(25);
  }

  @ParameterizedTest
  @ValueSource(ints = {6, 8})
  void exifOrientationTurnsThePictureUpright(int orientation) {
    byte[] sideways = TestImages.encode(TestImages.halves(64, 32, Color.RED, Color.BLUE), "jpeg");

    BufferedImage image = decoder.decode(TestImages.withExifOrientation(sideways, orientation));

    assertThat(image.getWidth()).isEqualTo(32);
    assertThat(image.getHeight()).isEqualTo(64);
    // 6 turns clockwise: the left (red) half ends on top. 8 turns counter-clockwise: at the bottom.
    Color top = orientation == 6 ? Color.RED : Color.BLUE;
    Color bottom = orientation == 6 ? Color.BLUE : Color.RED;
    assertColourNear(image.getRGB(16, 8), top.getRed(), top.getGreen(), top.getBlue(), 40);
    assertColourNear(
        image.getRGB(16, 56), bottom.getRed(), bottom.getGreen(), bottom.getBlue(), 40);
  }

  @Test
  void mirroredOrientationFlipsLeftAndRight() {
    byte[] jpeg = TestImages.encode(TestImages.halves(64, 32, Color.RED, Color.BLUE), "jpeg");

    BufferedImage image = decoder.decode(TestImages.withExifOrientation(jpeg, 2));

    assertThat(image.getWidth()).isEqualTo(64);
    assertColourNear(image.getRGB(8, 16), 0, 0, 255, 40);
    assertColourNear(image.getRGB(56, 16), 255, 0, 0, 40);
  }

  @Test
  void refusesADecompressionBombBeforeDecoding() {
    byte[] bomb = TestImages.pngBomb(100_000, 100_000);
    assertThat(bomb.length).isLessThan(100);

    assertThatThrownBy(() -> decoder.decode(bomb))
        .isInstanceOf(ImageTooLargeException.class)
        .hasMessageContaining("100000 x 100000")
        .satisfies(
            e -> assertThat(((ImageTooLargeException) e).maxPixels()).isEqualTo(50_000_000L));
  }

  @Test
  void pixelLimitIsConfigurable() {
    ImageDecoder strict = new ImageDecoder(32 * 32);

    assertThat(strict.decode(TestImages.png(32, 32, Color.GRAY)).getWidth()).isEqualTo(32);
    assertThatThrownBy(() -> strict.decode(TestImages.png(33, 32, Color.GRAY)))
        .isInstanceOf(ImageTooLargeException.class);
  }

  @Test
  void refusesTextAsUnsupported() {
    assertThatThrownBy(
            () -> decoder.decode("hello, not a picture".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UnsupportedImageFormatException.class)
        .hasMessageContaining("PNG, JPEG, BMP, GIF");
  }

  @Test
  void refusesEmptyInput() {
    assertThatThrownBy(() -> decoder.decode(new byte[0]))
        .isInstanceOf(EmptyImageException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void refusesFormatsOutsideTheSupportedSet() {
    byte[] tiff = TestImages.encode(TestImages.solid(8, 8, Color.RED), "tiff");

    assertThatThrownBy(() -> decoder.decode(tiff))
        .isInstanceOf(UnsupportedImageFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"png", "jpeg"})
  void refusesTruncatedImages(String format) {
    byte[] whole = TestImages.encode(TestImages.halves(64, 64, Color.RED, Color.GREEN), format);

    assertThatThrownBy(() -> decoder.decode(TestImages.truncated(whole)))
        .isInstanceOf(CorruptImageException.class)
        .hasMessageContaining("damaged or truncated");
  }

  private static void assertColourNear(int rgb, int r, int g, int b, int tolerance) {
    assertThat((rgb >> 16) & 0xFF)
        .as("red")
        .isCloseTo(r, org.assertj.core.data.Offset.offset(tolerance));
    assertThat((rgb >> 8) & 0xFF)
        .as("green")
        .isCloseTo(g, org.assertj.core.data.Offset.offset(tolerance));
    assertThat(rgb & 0xFF).as("blue").isCloseTo(b, org.assertj.core.data.Offset.offset(tolerance));
  }
}
