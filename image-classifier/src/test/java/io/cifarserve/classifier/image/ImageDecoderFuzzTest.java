package io.cifarserve.classifier.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the decoder on whatever bytes a client may send: PNG, JPEG (CMYK and
 * progressive included), BMP and GIF and their mutations. Every input ends in an upright RGB
 * picture within the pixel limit or in one of the decoder's own refusals; and every decode reserves
 * exactly the pixels its header declares, within the limit, and gives them back.
 *
 * <p>The seeds and every input that once failed are in {@code ImageDecoderFuzzTestInputs/}; the
 * test command replays them. {@code scripts/fuzz.sh} fuzzes (docs/development.md#fuzzing).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ImageDecoderFuzzTest {

  /** Small, so that fuzzed headers reach the limit without fuzzed pictures filling the heap. */
  private static final long MAX_PIXELS = 4_000_000;

  /** The side the service asks for: the model's 32 pixels, times {@code DECODED_SIDE_PER_INPUT}. */
  private static final int MIN_SIDE = 256;

  private final CountingBudget budget = new CountingBudget();
  private final ImageDecoder decoder = new ImageDecoder(MAX_PIXELS, budget);

  @FuzzTest
  void decodeWhole(byte[] bytes) {
    BufferedImage image = decodeOrRefuse(() -> decoder.decode(bytes));
    if (image != null) {
      assertThat((long) image.getWidth() * image.getHeight()).isLessThanOrEqualTo(MAX_PIXELS);
    }
    budget.assertReleased();
  }

  @FuzzTest
  void decodeCentreSquare(byte[] bytes) {
    BufferedImage image = decodeOrRefuse(() -> decoder.decodeCentreSquare(bytes, MIN_SIDE));
    if (image != null) {
      // Subsampled: whatever the header declares, fewer than (2 * minSide)^2 pixels are held.
      assertThat((long) image.getWidth() * image.getHeight()).isLessThan(4L * MIN_SIDE * MIN_SIDE);
    }
    budget.assertReleased();
  }

  private interface Decode {
    BufferedImage run();
  }

  private static BufferedImage decodeOrRefuse(Decode decode) {
    BufferedImage image;
    try {
      image = decode.run();
    } catch (ImageDecodingException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return null;
    }
    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(image.getWidth()).isPositive();
    assertThat(image.getHeight()).isPositive();
    return image;
  }

  /** A budget that checks each reservation against the limit and that all are given back. */
  private static final class CountingBudget implements PixelBudget {
    private final AtomicLong held = new AtomicLong();

    @Override
    public Hold reserve(String format, long pixels) {
      assertThat(ImageDecoder.SUPPORTED_FORMATS).contains(format);
      assertThat(pixels).isPositive().isLessThanOrEqualTo(MAX_PIXELS);
      held.addAndGet(pixels);
      return () -> held.addAndGet(-pixels);
    }

    void assertReleased() {
      assertThat(held.get()).as("pixels still held after the decode").isZero();
    }
  }
}
