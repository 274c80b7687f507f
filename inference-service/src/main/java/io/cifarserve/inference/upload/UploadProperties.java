package io.cifarserve.inference.upload;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what clients may send.
 *
 * @param maxImageSize largest raw image body (multipart parts are limited by {@code
 *     spring.servlet.multipart.max-file-size}, set to the same value)
 * @param maxPixels largest picture, checked from its header before decoding
 * @param maxBatchFiles most images in one batch request (multipart files or tensor rows)
 * @param maxJsonSize largest JSON body (Open Inference Protocol requests)
 */
@ConfigurationProperties("inference.upload")
public record UploadProperties(
    @DefaultValue("10MB") DataSize maxImageSize,
    @DefaultValue("50000000") long maxPixels,
    @DefaultValue("64") int maxBatchFiles,
    @DefaultValue("50MB") DataSize maxJsonSize) {}
