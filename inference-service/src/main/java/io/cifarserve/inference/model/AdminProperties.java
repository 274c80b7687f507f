package io.cifarserve.inference.model;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The model admin endpoints, which change what is served. They exist only when a token is set or
 * local use without one is asked for explicitly; otherwise {@code /admin/**} is 404.
 *
 * @param enabled false removes them whatever else is set
 * @param token requests must carry {@code Authorization: Bearer <token>} (the scheme in any case);
 *     set with {@code ADMIN_TOKEN}
 * @param localWithoutToken with no token, serve them to requests from this machine's loopback
 *     address only, and never to a browser's cross-origin request; set with {@code
 *     ADMIN_LOCAL_WITHOUT_TOKEN}
 */
@ConfigurationProperties("inference.admin")
public record AdminProperties(
    @DefaultValue("true") boolean enabled,
    String token,
    @DefaultValue("false") boolean localWithoutToken) {

  public boolean hasToken() {
    return token != null && !token.isBlank();
  }
}
