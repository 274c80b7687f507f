package io.cifarserve.inference.admission;

import io.cifarserve.classifier.image.PixelBudget;
import io.cifarserve.inference.problem.OverloadedException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The service's one pixel budget: every picture reserves the pixels its header declares before a
 * pixel is decoded, so that no mix of requests can decode more than {@code decode-pixels} at once.
 * A picture that finds no room within {@code max-wait} gets 503.
 */
@Component
public class DecodingBudget implements PixelBudget {

  /** Semaphore permits count thousands of pixels, so that budgets past 2^31 pixels still fit. */
  private static final long PIXELS_PER_PERMIT = 1000;

  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final Semaphore room;
  private final int capacity;
  private final AdmissionProperties properties;
  private final MeterRegistry meters;

  public DecodingBudget(AdmissionProperties properties, MeterRegistry meters) {
    this.properties = properties;
    this.meters = meters;
    this.capacity = permits(properties.decodePixels());
    this.room = new Semaphore(capacity, true);
  }

  @Override
  public Hold reserve(String format, long pixels) {
    DistributionSummary.builder("inference.input.pixels")
        .description("Pixels of each picture decoded, as its header declares them, by format")
        .tag("format", format)
        .serviceLevelObjectives(1_024, 65_536, 1_000_000, 4_000_000, 12_000_000, 50_000_000)
        .register(meters)
        .record(pixels);
    // A picture larger than the whole budget still decodes, alone.
    int permits = Math.min(permits(pixels), capacity);
    try {
      if (room.tryAcquire(permits, properties.maxWait().toNanos(), TimeUnit.NANOSECONDS)) {
        return () -> room.release(permits);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new OverloadedException(
        "pictures of %d pixels are being decoded (inference.admission.decode-pixels) and this one's %d did not fit within %d ms; retry shortly"
            .formatted(properties.decodePixels(), pixels, properties.maxWait().toMillis()),
        RETRY_AFTER);
  }

  /** Pixels being decoded now. */
  public long inUse() {
    return (long) (capacity - room.availablePermits()) * PIXELS_PER_PERMIT;
  }

  private static int permits(long pixels) {
    return (int)
        Math.min(
            Integer.MAX_VALUE, Math.max(1, (pixels + PIXELS_PER_PERMIT - 1) / PIXELS_PER_PERMIT));
  }
}
