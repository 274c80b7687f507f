package io.cifarserve.inference.admission;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much work the service takes on at once. Requests are admitted before their body is read, in
 * two lanes so that batches never take the places of single pictures; pictures are decoded within a
 * shared pixel budget. What cannot start within {@code max-wait} gets 503 with Retry-After.
 *
 * @param interactiveRequests single-picture requests (predict, explain, small OIP bodies) being
 *     read, decoded or classified at once
 * @param bulkRequests batch requests (predict/batch, larger OIP bodies) at once
 * @param maxWait longest a request waits for a place, or a picture for decoding room
 * @param interactiveBodyLimit OIP bodies up to this declared length go to the interactive lane;
 *     larger ones, and those without a length, to the bulk lane
 * @param decodePixels pixels, as picture headers declare them, being decoded at once; at least
 *     {@code inference.upload.max-pixels}
 */
@ConfigurationProperties("inference.admission")
public record AdmissionProperties(
    @DefaultValue("32") int interactiveRequests,
    @DefaultValue("2") int bulkRequests,
    @DefaultValue("250ms") Duration maxWait,
    @DefaultValue("1MB") DataSize interactiveBodyLimit,
    @DefaultValue("100000000") long decodePixels) {

  public AdmissionProperties {
    if (interactiveRequests < 1 || bulkRequests < 1) {
      throw new IllegalArgumentException(
          "inference.admission.interactive-requests and bulk-requests must be at least 1");
    }
  }
}
