package io.hepaloop.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A route's own body limit, below the API-wide one. A {@link BodyHandler} does nothing when the
 * body was already read, and {@link HttpApi} reads every {@code /api/*} body first (up to {@link
 * HttpApi#BODY_LIMIT_BYTES}), so a route's smaller limit must be checked on the body as read.
 */
final class BodyLimit {
  private BodyLimit() {}

  /** 413 as problem+json for a body over {@code limitBytes}; reads the body if nobody has. */
  static Handler<RoutingContext> of(long limitBytes) {
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
