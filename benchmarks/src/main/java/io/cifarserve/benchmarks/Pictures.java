package io.cifarserve.benchmarks;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** The pictures the benchmarks send: made here, the same in every run. */
public final class Pictures {

  private Pictures() {}

  /** {@code count} 32x32 PNGs of random solid colours (seeded). */
  public static List<byte[]> smallPngs(int count) {
    Random random = new Random(3);
    List<byte[]> pictures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Color colour = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
      pictures.add(encode(solid(32, 32, colour), "png"));
    }
    return pictures;
  }

  public static BufferedImage solid(int width, int height, Color colour) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  public static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  public static byte[] noiseJpeg(int width, int height) {
    BufferedImage noise = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(11);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        noise.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return encode(noise, "jpeg");
  }

  public static byte[] progressiveJpeg(int width, int height) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(gradient(width, height), null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  public static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalArgumentException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A folder of {@code count} 32x32 JPEGs in ten class folders, as the test set is laid out. */
  public static Path folder(Path folder, int count) throws IOException {
    Random random = new Random(5);
    for (int i = 0; i < count; i++) {
      Path file = folder.resolve("class" + i % 10).resolve(i + ".jpg");
      Files.createDirectories(file.getParent());
      Color colour = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
      Files.write(file, encode(solid(32, 32, colour), "jpeg"));
    }
    return folder;
  }
}
