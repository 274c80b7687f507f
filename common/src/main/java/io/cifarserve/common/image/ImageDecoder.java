package io.cifarserve.common.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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

  public ImageDecoder(long maxPixels) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, was " + maxPixels);
    }
    this.maxPixels = maxPixels;
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
    return decode(bytes, Integer.MAX_VALUE);
  }

  /**
   * Decodes an image at a reduced resolution where it is far larger than needed: every n-th pixel
   * of every n-th row, with n the largest step that keeps the shorter side at least {@code
   * minSide}. The reader then holds only the pixels kept, so a 7000 x 7000 photo for a 32 x 32
   * model costs about 1 MB instead of 196 MB of memory.
   *
   * @throws EmptyImageException there are no bytes
   * @throws UnsupportedImageFormatException the bytes are not a PNG, JPEG, BMP or GIF
   * @throws ImageTooLargeException the header announces more than {@link #maxPixels()} pixels
   * @throws CorruptImageException the data is damaged or truncated
   */
  public BufferedImage decode(byte[] bytes, int minSide) {
    if (bytes == null || bytes.length == 0) {
      throw new EmptyImageException();
    }
    BufferedImage raw = decodePixels(bytes, minSide);
    BufferedImage rgb = toRgbOnWhite(raw);
    return ExifOrientation.apply(rgb, readExifOrientation(bytes));
  }

  private BufferedImage decodePixels(byte[] bytes, int minSide) {
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
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        ImageReadParam param = reader.getDefaultReadParam();
        int step = (int) Math.max(1, Math.min(width, height) / Math.max(1, minSide));
        if (step > 1) {
          param.setSourceSubsampling(step, step, 0, 0);
        }
        BufferedImage image = reader.read(0, param);
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
    } catch (IOException | RuntimeException e) {
      throw new CorruptImageException("image data is damaged or truncated: " + e.getMessage(), e);
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
