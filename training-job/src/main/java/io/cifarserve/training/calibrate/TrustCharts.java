package io.cifarserve.training.calibrate;

import io.cifarserve.common.chart.Canvas;
import io.cifarserve.common.chart.ReliabilityDiagram;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** The reliability diagram and the risk-coverage curve, as PNG files. */
public final class TrustCharts {

  private static final Color[] LINES = {new Color(31, 119, 180), new Color(255, 127, 14)};
  private static final int SIDE = 360;

  private TrustCharts() {}

  /** Accuracy against confidence per bin, before and after temperature scaling. */
  public static void reliability(TrustReport report, Path file) throws IOException {
    ImageIO.write(
        ReliabilityDiagram.draw(
            new ReliabilityDiagram.Panel(
                "Before (T = 1): ECE %.2f%%".formatted(100 * report.before().ece()),
                report.before().bins()),
            new ReliabilityDiagram.Panel(
                "After (T = %.2f): ECE %.2f%%"
                    .formatted(report.temperature(), 100 * report.after().ece()),
                report.after().bins())),
        "png",
        file.toFile());
  }

  /** Error rate against coverage for each score, with the shipped threshold marked. */
  public static void riskCoverage(TrustReport report, Path file) throws IOException {
    int left = 70;
    int top = 50;
    int width = 2 * SIDE;
    BufferedImage image = Canvas.blank(width + 120, SIDE + 130);
    Graphics2D g = Canvas.graphics(image);
    double maxRisk = 0;
    for (TrustReport.ScoreResult s : report.scores()) {
      for (TrustReport.CurvePoint p : s.riskCoverage()) {
        maxRisk = Math.max(maxRisk, p.risk());
      }
    }
    maxRisk = Math.max(0.01, Math.ceil(maxRisk * 20) / 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString("Risk-coverage on the test set (cross-fitted)", left, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawRect(left, top, width, SIDE);
    for (int i = 0; i <= 4; i++) {
      g.drawString(
          "%.1f%%".formatted(100 * maxRisk * i / 4), left - 45, top + SIDE - SIDE * i / 4 + 4);
      g.drawString("%d%%".formatted(25 * i), left + width * i / 4 - 10, top + SIDE + 15);
    }
    g.drawString(
        "coverage: share of pictures answered confidently",
        left + width / 2 - 120,
        top + SIDE + 32);
    g.drawString("error rate", 5, top - 10);
    List<TrustReport.ScoreResult> scores = report.scores();
    for (int s = 0; s < scores.size(); s++) {
      TrustReport.ScoreResult score = scores.get(s);
      Path2D path = new Path2D.Double();
      boolean started = false;
      for (TrustReport.CurvePoint p : score.riskCoverage()) {
        double x = left + p.coverage() * width;
        double y = top + SIDE - p.risk() / maxRisk * SIDE;
        if (started) {
          path.lineTo(x, y);
        } else {
          path.moveTo(x, y);
          started = true;
        }
      }
      g.setColor(LINES[s % LINES.length]);
      g.setStroke(new BasicStroke(2f));
      g.draw(path);
      g.fillRect(left + 10 + 220 * s, top + SIDE + 48, 12, 4);
      g.setColor(Color.BLACK);
      g.drawString(
          "%s (AURC %.4f)".formatted(score.score(), score.aurc()),
          left + 26 + 220 * s,
          top + SIDE + 53);
    }
    TrustReport.ScoreResult chosen = report.chosen();
    int x = (int) Math.round(left + (1 - chosen.testFlagged()) * width);
    g.setColor(Color.GRAY);
    g.setStroke(
        new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
    g.drawLine(x, top, x, top + SIDE);
    g.setColor(Color.BLACK);
    g.drawString("threshold (%s)".formatted(chosen.score()), x - 110, top + 15);
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }
}
