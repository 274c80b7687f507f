package io.cifarserve.training.train;

/** Learning rate as a function of the optimisation step. */
public sealed interface LearningRateSchedule {

  double at(long step);

  static LearningRateSchedule of(String name, double peak, long totalSteps) {
    return switch (name) {
      case "one-cycle" -> new OneCycle(peak, totalSteps);
      case "cosine" -> new Cosine(peak, totalSteps, Math.max(1, totalSteps / 50));
      case "constant" -> new Constant(peak);
      default ->
          throw new IllegalArgumentException(
              "unknown schedule '" + name + "'; expected one-cycle, cosine or constant");
    };
  }

  /**
   * Warm up from {@code peak/25} to {@code peak} over the first 25% of steps, then anneal along a
   * cosine to {@code peak/10^4}: fast convergence in few epochs.
   */
  record OneCycle(double peak, long totalSteps) implements LearningRateSchedule {
    private static final double WARMUP_SHARE = 0.25;

    @Override
    public double at(long step) {
      long warmup = Math.max(1, Math.round(totalSteps * WARMUP_SHARE));
      double start = peak / 25;
      double end = peak / 1e4;
      if (step < warmup) {
        return cosineBetween(start, peak, (double) step / warmup);
      }
      double progress = (double) (step - warmup) / Math.max(1, totalSteps - warmup);
      return cosineBetween(peak, end, Math.min(1, progress));
    }
  }

  /** Linear warm-up for {@code warmupSteps}, then cosine decay to zero. */
  record Cosine(double peak, long totalSteps, long warmupSteps) implements LearningRateSchedule {
    @Override
    public double at(long step) {
      if (step < warmupSteps) {
        return peak * (step + 1) / warmupSteps;
      }
      double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
      return cosineBetween(peak, 0, Math.min(1, progress));
    }
  }

  /**
   * The same rate throughout: for weight averaging, whose snapshots should differ, from a network
   * that has already converged.
   */
  record Constant(double rate) implements LearningRateSchedule {
    @Override
    public double at(long step) {
      return rate;
    }
  }

  private static double cosineBetween(double from, double to, double progress) {
    return to + (from - to) * (1 + Math.cos(Math.PI * progress)) / 2;
  }
}
