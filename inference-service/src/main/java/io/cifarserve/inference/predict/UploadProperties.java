package io.cifarserve.inference.predict;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what clients may send.
 *
 * @param maxImageSize largest raw image body (multipart parts are limited by {@code
 *     spring.servlet.multipart.max-file-size}, set to the same value)
 * @param maxPixels largest picture, checked from its header before decoding
 * @param maxBatchFiles most files in one batch request
 */
@ConfigurationProperties("inference.upload")
public record UploadProperties(
    @DefaultValue("10MB") DataSize maxImageSize,
    @DefaultValue("50000000") long maxPixels,
    @DefaultValue("32") int maxBatchFiles) {}
