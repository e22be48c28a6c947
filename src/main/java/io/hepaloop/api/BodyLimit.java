package io.hepaloop.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A route's own body limit, at most the API-wide one. A {@link BodyHandler} does nothing when the
 * body was already read, and {@link HttpApi} reads every {@code /api/*} body first (up to {@link
 * HttpApi#BODY_LIMIT_BYTES}), so a route's smaller limit must be checked on the body as read, and a
 * larger one would never be reached: it is refused here rather than left as dead code.
 */
final class BodyLimit {
  private BodyLimit() {}

  /**
   * 413 as problem+json for a body over {@code limitBytes}; reads the body if nobody has.
   *
   * @throws IllegalArgumentException when {@code limitBytes} is not positive or exceeds {@link
   *     HttpApi#BODY_LIMIT_BYTES} (the API-wide limit applies first)
   */
  static Handler<RoutingContext> of(long limitBytes) {
    if (limitBytes <= 0 || limitBytes > HttpApi.BODY_LIMIT_BYTES) {
      throw new IllegalArgumentException(
          "a route's body limit must be between 1 and the API-wide "
              + HttpApi.BODY_LIMIT_BYTES
              + " bytes (HttpApi reads every /api/* body first), got "
              + limitBytes);
    }
    BodyHandler read = BodyHandler.create(false).setBodyLimit(limitBytes);
    return rc -> {
      if (!rc.body().available()) {
        read.handle(rc);
      } else if (rc.body().length() > limitBytes) {
        Problems.send(
            rc, 413, "Payload Too Large", "request body larger than " + limitBytes / 1024 + " KiB");
      } else {
        rc.next();
      }
    };
  }
}
