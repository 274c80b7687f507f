package io.cifarserve.classifier.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns encoded bytes (PNG, JPEG, BMP, GIF) into an upright 8-bit RGB picture.
 *
 * <p>The header is read first and the pixel count checked against a limit before any pixel is
 * decoded. Grayscale, palette, 16-bit and CMYK images become RGB; transparent pixels are composited
 * over white; JPEG EXIF orientation is applied. Instances are immutable and thread-safe.
 */
public final class ImageDecoder {

  /** Formats accepted, as ImageIO names them. */
  public static final Set<String> SUPPORTED_FORMATS = Set.of("png", "jpeg", "bmp", "gif");

  private static final Pattern COLOUR_PROFILE_WARNING =
      Pattern.compile("ICC|colou?r profile", Pattern.CASE_INSENSITIVE);

  /** Default pixel limit: a 50-megapixel photo still decodes, a bomb does not. */
  public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

  static {
    // Registers the TwelveMonkeys JPEG reader (CMYK support) whatever class loader came first.
    ImageIO.scanForPlugins();
    ImageIO.setUseCache(false);
  }

  private final long maxPixels;
  private final PixelBudget budget;

  /**
   * @param maxPixels pictures whose header declares more are refused
   * @param budget where each decode reserves its picture's pixels first
   */
  public ImageDecoder(long maxPixels, PixelBudget budget) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, was " + maxPixels);
    }
    this.maxPixels = maxPixels;
    this.budget = budget;
  }

  public ImageDecoder(long maxPixels) {
    this(maxPixels, PixelBudget.UNLIMITED);
  }

  public ImageDecoder() {
    this(DEFAULT_MAX_PIXELS);
  }

  public long maxPixels() {
    return maxPixels;
  }

  /**
   * Decodes an image.
   *
   * @throws EmptyImageException there are no bytes
   * @throws UnsupportedImageFormatException the bytes are not a PNG, JPEG, BMP or GIF
   * @throws ImageTooLargeException the header announces more than {@link #maxPixels()} pixels
   * @throws CorruptImageException the data is damaged or truncated
   */
  public BufferedImage decode(byte[] bytes) {
    return decode(bytes, Integer.MAX_VALUE, false);
  }

  /**
   * Decodes the centre square of an image (the part a square model sees), at a reduced resolution
   * where it is far larger than needed: every n-th pixel of every n-th row, with n the largest step
   * that keeps the side at least {@code minSide}. The reader then holds only the pixels kept, so
   * whatever the header declares, the decoded picture has fewer than {@code (2 * minSide)^2}
   * pixels: a 7000 x 7000 photo for a 32 x 32 model costs about 1 MB instead of 196 MB, and a
   * 100000 x 500 strip 1 MB instead of 200 MB.
   *
   * @throws EmptyImageException there are no bytes
   * @throws UnsupportedImageFormatException the bytes are not a PNG, JPEG, BMP or GIF
   * @throws ImageTooLargeException the header announces more than {@link #maxPixels()} pixels
   * @throws CorruptImageException the data is damaged or truncated
   */
  public BufferedImage decodeCentreSquare(byte[] bytes, int minSide) {
    return decode(bytes, minSide, true);
  }

  /**
   * Decodes the whole image at a reduced resolution, as {@link #decodeCentreSquare} does for its
   * square: enough for a thumbnail of a large photo without holding all its pixels.
   *
   * @throws ImageDecodingException as {@link #decode}
   */
  public BufferedImage decodeReduced(byte[] bytes, int minSide) {
    return decode(bytes, minSide, false);
  }

  private BufferedImage decode(byte[] bytes, int minSide, boolean centreSquare) {
    if (bytes == null || bytes.length == 0) {
      throw new EmptyImageException();
    }
    BufferedImage raw = decodePixels(bytes, minSide, centreSquare);
    BufferedImage rgb = toRgbOnWhite(raw);
    return ExifOrientation.apply(rgb, readExifOrientation(bytes));
  }

  private BufferedImage decodePixels(byte[] bytes, int minSide, boolean centreSquare) {
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = supportedReader(input);
      try {
        reader.setInput(input, true, true);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
          throw new CorruptImageException(
              "image header declares an empty size " + width + " x " + height, null);
        }
        if (width * height > maxPixels) {
          throw new ImageTooLargeException(width, height, maxPixels);
        }
        refuseEmbeddedPicture(formatOf(reader), bytes);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        ImageReadParam param = reader.getDefaultReadParam();
        long side = Math.min(width, height);
        if (centreSquare && width != height) {
          // The square is the same after any EXIF rotation or mirroring, so the raw one will do.
          param.setSourceRegion(
              new Rectangle(
                  (int) (width - side) / 2, (int) (height - side) / 2, (int) side, (int) side));
        }
        int step = (int) Math.max(1, side / Math.max(1, minSide));
        if (step > 1) {
          param.setSourceSubsampling(step, step, 0, 0);
        }
        BufferedImage image;
        try (PixelBudget.Hold hold = reserve(formatOf(reader), width * height)) {
          image = reader.read(0, param);
        }
        // A CMYK JPEG without a colour profile is converted with a generic one: a warning about
        // colour accuracy, not about the data.
        warnings.removeIf(warning -> COLOUR_PROFILE_WARNING.matcher(warning).find());
        if (!warnings.isEmpty()) {
          // The JPEG reader pads a truncated file with grey and only warns; we refuse it instead.
          throw new CorruptImageException(
              "image data is damaged or truncated: " + String.join("; ", warnings), null);
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (ImageDecodingException e) {
      throw e;
    } catch (BudgetRefused e) {
      throw e.refusal;
    } catch (IOException | RuntimeException e) {
      throw new CorruptImageException("image data is damaged or truncated: " + e.getMessage(), e);
    }
  }

  /** Reserves pixels, marking a refusal so that it is not mistaken for damaged data. */
  private PixelBudget.Hold reserve(String format, long pixels) {
    try {
      return budget.reserve(format, pixels);
    } catch (RuntimeException e) {
      throw new BudgetRefused(e);
    }
  }

  private static final class BudgetRefused extends RuntimeException {

    private final RuntimeException refusal;

    BudgetRefused(RuntimeException refusal) {
      super(refusal.getMessage(), refusal, false, false);
      this.refusal = refusal;
    }
  }

  /**
   * A BMP may carry a whole JPEG or PNG (compression 4 or 5) whose own header, not the BMP's, says
   * how large it is: the pixel limit and budget would count the wrong size, and fuzzing found a
   * 71-byte BMP whose embedded PNG fills any heap. Cameras and browsers never write these.
   */
  private static void refuseEmbeddedPicture(String format, byte[] bytes) {
    if (!format.equals("bmp") || bytes.length < 34) {
      return;
    }
    ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int infoHeaderSize = header.getInt(14);
    int compression = header.getInt(30);
    if (infoHeaderSize >= 40 && (compression == 4 || compression == 5)) {
      throw new UnsupportedImageFormatException(
          "BMPs that carry an embedded JPEG or PNG are not supported; send the JPEG or PNG itself");
    }
  }

  private static ImageReader supportedReader(ImageInputStream input) {
    if (input == null) {
      throw new UnsupportedImageFormatException("the file is not an image");
    }
    Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      if (isSupported(reader)) {
        return reader;
      }
      reader.dispose();
    }
    throw new UnsupportedImageFormatException(
        "the file is not a supported image; expected one of PNG, JPEG, BMP, GIF");
  }

  private static String formatOf(ImageReader reader) {
    try {
      return reader.getFormatName().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static boolean isSupported(ImageReader reader) {
    try {
      return SUPPORTED_FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT));
    } catch (IOException e) {
      return false;
    }
  }

  private static BufferedImage toRgbOnWhite(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  /** The EXIF orientation tag (1-8), or 1 when there is none or it cannot be read. */
  private static int readExifOrientation(byte[] bytes) {
    try {
      Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
      ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
      if (exif != null && exif.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
        return exif.getInt(ExifIFD0Directory.TAG_ORIENTATION);
      }
    } catch (Exception e) {
      // Unreadable metadata never blocks the pixels: the picture is used as stored.
    }
    return 1;
  }
}
