package io.cifarserve.inference.model;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The model admin endpoints.
 *
 * @param enabled whether {@code /admin/model} is served at all
 * @param token when set, requests must carry {@code Authorization: Bearer <token>}
 */
@ConfigurationProperties("inference.admin")
public record AdminProperties(@DefaultValue("true") boolean enabled, String token) {}
