package io.cifarserve.inference.admission;

import io.cifarserve.inference.problem.OverloadedException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Places for requests in each lane. A request takes one before its body is read and keeps it until
 * it has answered. At most as many requests wait for a place as the lane has places, in arrival
 * order; one more is refused with 503 at once, and a waiter that finds no place within {@code
 * max-wait} too. So under any load an admitted request has at most one lane's worth of work ahead
 * of it, and a refused one costs the server next to nothing.
 */
@Component
public class RequestAdmission {

  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final AdmissionProperties properties;
  private final Semaphore interactive;
  private final Semaphore bulk;
  private final AtomicInteger interactiveWaiting = new AtomicInteger();
  private final AtomicInteger bulkWaiting = new AtomicInteger();

  public RequestAdmission(AdmissionProperties properties) {
    this.properties = properties;
    this.interactive = new Semaphore(properties.interactiveRequests(), true);
    this.bulk = new Semaphore(properties.bulkRequests(), true);
  }

  /** A place held by one request; closing it lets the next one in. */
  public interface Place extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits up to {@code max-wait} for a place in the lane.
   *
   * @throws OverloadedException there was none in time
   */
  public Place enter(Lane lane) {
    Semaphore places = lane == Lane.BULK ? bulk : interactive;
    AtomicInteger waiting = lane == Lane.BULK ? bulkWaiting : interactiveWaiting;
    int size = lane == Lane.BULK ? properties.bulkRequests() : properties.interactiveRequests();
    if (places.tryAcquire()) {
      return places::release;
    }
    if (waiting.incrementAndGet() <= size) {
      try {
        if (places.tryAcquire(properties.maxWait().toNanos(), TimeUnit.NANOSECONDS)) {
          return places::release;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        waiting.decrementAndGet();
      }
    } else {
      waiting.decrementAndGet();
    }
    throw new OverloadedException(
        "all %d places for %s requests are taken (inference.admission.%s-requests), as many wait, and none came free within %d ms; retry shortly"
            .formatted(
                size,
                lane == Lane.BULK ? "batch" : "single-picture",
                lane == Lane.BULK ? "bulk" : "interactive",
                properties.maxWait().toMillis()),
        RETRY_AFTER);
  }

  /** Requests being served now in a lane. */
  public int inUse(Lane lane) {
    return lane == Lane.BULK
        ? properties.bulkRequests() - bulk.availablePermits()
        : properties.interactiveRequests() - interactive.availablePermits();
  }
}
