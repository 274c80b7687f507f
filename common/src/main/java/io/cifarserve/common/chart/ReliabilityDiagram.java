package io.cifarserve.common.chart;

import io.cifarserve.common.model.ReliabilityBin;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Accuracy against confidence per bin, before and after temperature scaling, side by side: bars on
 * the diagonal mean the probabilities can be taken at their word. Drawn for the run folder by the
 * training job and for the model page by the website, from the same bins.
 */
public final class ReliabilityDiagram {

  private static final Color BAR = new Color(31, 119, 180);
  private static final Color GAP = new Color(214, 39, 40, 140);
  private static final int SIDE = 360;

  private ReliabilityDiagram() {}

  /** One panel: a title and its bins. */
  public record Panel(String title, List<ReliabilityBin> bins) {}

  public static BufferedImage draw(Panel before, Panel after) {
    BufferedImage image = Canvas.blank(2 * SIDE + 160, SIDE + 120);
    Graphics2D g = Canvas.graphics(image);
    panel(g, 60, before);
    panel(g, SIDE + 130, after);
    g.dispose();
    return image;
  }

  private static void panel(Graphics2D g, int left, Panel panel) {
    int top = 50;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(panel.title(), left, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    List<ReliabilityBin> bins = panel.bins();
    for (ReliabilityBin bin : bins) {
      if (bin.count() == 0) {
        continue;
      }
      int x = left + (int) Math.round(bin.lower() * SIDE);
      int width = (int) Math.round((bin.upper() - bin.lower()) * SIDE) - 1;
      int accuracy = (int) Math.round(bin.accuracy() * SIDE);
      int confidence = (int) Math.round(bin.confidence() * SIDE);
      g.setColor(BAR);
      g.fillRect(x, top + SIDE - accuracy, width, accuracy);
      // The gap between what the model claimed and how often it was right.
      g.setColor(GAP);
      g.fillRect(
          x, top + SIDE - Math.max(accuracy, confidence), width, Math.abs(confidence - accuracy));
    }
    g.setColor(Color.GRAY);
    g.drawLine(left, top + SIDE, left + SIDE, top);
    g.setColor(Color.BLACK);
    g.drawRect(left, top, SIDE, SIDE);
    for (int i = 0; i <= 4; i++) {
      String tick = "%.2f".formatted(i / 4.0);
      g.drawString(tick, left - 32, top + SIDE - SIDE * i / 4 + 4);
      g.drawString(tick, left + SIDE * i / 4 - 10, top + SIDE + 15);
    }
    g.drawString("confidence (top probability)", left + SIDE / 2 - 70, top + SIDE + 32);
    g.drawString("blue: accuracy per bin; red: gap to confidence", left, top + SIDE + 50);
  }
}
