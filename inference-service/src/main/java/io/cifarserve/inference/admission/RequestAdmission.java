package io.cifarserve.inference.admission;

import io.cifarserve.inference.problem.OverloadedException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
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

  /**
   * One lane's places, its waiters, the wait it advises on refusal, and how its refusal names it.
   */
  private record Places(
      Semaphore free,
      AtomicInteger waiting,
      RetryAdvice retry,
      int size,
      String requests,
      String setting) {

    Places(int size, String requests, String setting) {
      this(
          new Semaphore(size, true),
          new AtomicInteger(),
          new RetryAdvice(System::nanoTime),
          size,
          requests,
          setting);
    }
  }

  private final Duration maxWait;
  private final Map<Lane, Places> lanes;

  public RequestAdmission(AdmissionProperties properties) {
    this.maxWait = properties.maxWait();
    this.lanes =
        new EnumMap<>(
            Map.of(
                Lane.INTERACTIVE,
                new Places(properties.interactiveRequests(), "single-picture", "interactive"),
                Lane.BULK,
                new Places(properties.bulkRequests(), "batch", "bulk")));
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
    Places places = lanes.get(lane);
    Semaphore free = places.free();
    if (free.tryAcquire()) {
      places.retry().admitted();
      return free::release;
    }
    if (places.waiting().incrementAndGet() <= places.size()) {
      try {
        if (free.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
          places.retry().admitted();
          return free::release;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        places.waiting().decrementAndGet();
      }
    } else {
      places.waiting().decrementAndGet();
    }
    throw new OverloadedException(
        "all %d places for %s requests are taken (inference.admission.%s-requests), as many wait, and none came free within %d ms; retry shortly"
            .formatted(places.size(), places.requests(), places.setting(), maxWait.toMillis()),
        places.retry().refused());
  }

  /** Requests being served now in a lane. */
  public int inUse(Lane lane) {
    Places places = lanes.get(lane);
    return places.size() - places.free().availablePermits();
  }
}
