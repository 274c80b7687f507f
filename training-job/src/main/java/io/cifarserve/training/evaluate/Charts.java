package io.cifarserve.training.evaluate;

import io.cifarserve.common.chart.Canvas;
import io.cifarserve.training.train.EpochMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** Draws the confusion matrix and the training curves as PNG files, with no plotting library. */
public final class Charts {

  private static final Color TRAIN = new Color(31, 119, 180);
  private static final Color VALIDATION = new Color(255, 127, 14);

  private Charts() {}

  /** A heat map of counts, rows true classes, columns predicted, each cell labelled. */
  public static void confusionMatrix(Evaluation evaluation, Path file) throws IOException {
    List<String> labels = evaluation.labels();
    int k = labels.size();
    int cell = 56;
    int left = 110;
    int top = 70;
    BufferedImage image = Canvas.blank(left + k * cell + 30, top + k * cell + 100);
    Graphics2D g = Canvas.graphics(image);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(
        "Confusion matrix (test accuracy %.2f%%)".formatted(100 * evaluation.accuracy()), left, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int row = 0; row < k; row++) {
      int rowTotal = 0;
      for (int col = 0; col < k; col++) {
        rowTotal += evaluation.confusionMatrix()[row][col];
      }
      for (int col = 0; col < k; col++) {
        int count = evaluation.confusionMatrix()[row][col];
        double share = rowTotal == 0 ? 0 : (double) count / rowTotal;
        int shade = (int) Math.round(255 * (1 - share));
        g.setColor(new Color(shade, shade, 255));
        g.fillRect(left + col * cell, top + row * cell, cell, cell);
        g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
        String text = Integer.toString(count);
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, left + col * cell + (cell - w) / 2, top + row * cell + cell / 2 + 5);
      }
      g.setColor(Color.BLACK);
      g.drawString(labels.get(row), 10, top + row * cell + cell / 2 + 5);
    }
    for (int col = 0; col < k; col++) {
      Graphics2D rotated = (Graphics2D) g.create();
      rotated.translate(left + col * cell + cell / 2 + 4, top + k * cell + 8);
      rotated.rotate(Math.PI / 4);
      rotated.drawString(labels.get(col), 0, 0);
      rotated.dispose();
    }
    g.drawString("rows: true class, columns: predicted class", left, top - 10);
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  /** Loss and accuracy per epoch, training and validation, side by side. */
  public static void curves(List<EpochMetrics> history, Path file) throws IOException {
    BufferedImage image = Canvas.blank(1000, 420);
    Graphics2D g = Canvas.graphics(image);
    panel(g, 20, "Loss", history, EpochMetrics::trainLoss, EpochMetrics::validationLoss);
    panel(
        g, 520, "Accuracy", history, EpochMetrics::trainAccuracy, EpochMetrics::validationAccuracy);
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static void panel(
      Graphics2D g,
      int x0,
      String title,
      List<EpochMetrics> history,
      ToDoubleFunction<EpochMetrics> train,
      ToDoubleFunction<EpochMetrics> validation) {
    int left = x0 + 50;
    int top = 50;
    int width = 410;
    int height = 300;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (EpochMetrics m : history) {
      for (double v : new double[] {train.applyAsDouble(m), validation.applyAsDouble(m)}) {
        if (Double.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (!Double.isFinite(min)) {
      min = 0;
      max = 1;
    }
    if (max - min < 1e-9) {
      max = min + 1;
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, left, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawRect(left, top, width, height);
    for (int i = 0; i <= 4; i++) {
      double value = min + (max - min) * i / 4;
      int y = top + height - height * i / 4;
      g.setColor(new Color(225, 225, 225));
      g.drawLine(left + 1, y, left + width - 1, y);
      g.setColor(Color.BLACK);
      g.drawString("%.3f".formatted(value), x0, y + 4);
    }
    int epochs = history.size();
    for (int i = 0; i < epochs; i++) {
      if (epochs <= 20 || i % (epochs / 10) == 0 || i == epochs - 1) {
        g.drawString(
            Integer.toString(history.get(i).epoch()),
            xOf(i, epochs, left, width) - 3,
            top + height + 15);
      }
    }
    g.drawString("epoch", left + width / 2 - 15, top + height + 32);
    line(g, history, train, TRAIN, min, max, left, top, width, height);
    line(g, history, validation, VALIDATION, min, max, left, top, width, height);
    g.setColor(TRAIN);
    g.fillRect(left + 10, top + height + 45, 12, 4);
    g.setColor(Color.BLACK);
    g.drawString("training", left + 26, top + height + 50);
    g.setColor(VALIDATION);
    g.fillRect(left + 100, top + height + 45, 12, 4);
    g.setColor(Color.BLACK);
    g.drawString("validation", left + 116, top + height + 50);
  }

  private static void line(
      Graphics2D g,
      List<EpochMetrics> history,
      ToDoubleFunction<EpochMetrics> value,
      Color color,
      double min,
      double max,
      int left,
      int top,
      int width,
      int height) {
    Path2D path = new Path2D.Double();
    boolean started = false;
    g.setColor(color);
    for (int i = 0; i < history.size(); i++) {
      double v = value.applyAsDouble(history.get(i));
      if (!Double.isFinite(v)) {
        continue;
      }
      double x = xOf(i, history.size(), left, width);
      double y = top + height - (v - min) / (max - min) * height;
      if (started) {
        path.lineTo(x, y);
      } else {
        path.moveTo(x, y);
        started = true;
      }
      g.fillOval((int) x - 3, (int) y - 3, 6, 6);
    }
    g.setStroke(new BasicStroke(2f));
    g.draw(path);
    g.setStroke(new BasicStroke(1f));
  }

  private static int xOf(int index, int count, int left, int width) {
    return count <= 1 ? left + width / 2 : left + 10 + (width - 20) * index / (count - 1);
  }
}
