package io.cifarserve.website.backend;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the website reaches the inference service.
 *
 * @param url base URL, {@code INFERENCE_URL}
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for one answer before telling the user it is slow
 * @param pageDeadline how long one page may wait for all its calls together
 */
@ConfigurationProperties("website.inference")
public record InferenceProperties(
    @DefaultValue("http://localhost:8080") URI url,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("15s") Duration readTimeout,
    @DefaultValue("20s") Duration pageDeadline) {}
