package io.hepaloop.api;

import io.hepaloop.users.UserException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every error of the HTTP server into problem+json: failed routes, bodies over the limit,
 * unknown paths and methods. A {@link UserException} from a worker becomes 400, 404 or 409 with its
 * message; anything unexpected becomes 500 with a generic detail (the cause goes to the log, not to
 * the client).
 */
final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  /** The failure handler of every route. */
  static void failure(RoutingContext rc, int bodyLimitBytes) {
    Throwable failure = rc.failure();
    int status = rc.statusCode();
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
    }
    if (failure instanceof UserException user) {
      switch (user.kind()) {
        case UNKNOWN_USER -> Problems.send(rc, 404, "Not Found", user.getMessage());
        case CONFLICT -> Problems.send(rc, 409, "Conflict", user.getMessage());
        default -> Problems.send(rc, 400, "Invalid request", user.getMessage());
      }
      return;
    }
    if (failure instanceof DecodeException) {
      Problems.badField(rc, "body", "malformed JSON");
      return;
    }
    if (status == 413) {
      Problems.send(
          rc,
          413,
          "Payload Too Large",
          "request body larger than " + bodyLimitBytes / 1024 + " KiB");
      return;
    }
    if (status >= 400 && status < 500) {
      status(rc, status);
      return;
    }
    LOG.error("{} {} failed", rc.request().method(), rc.request().path(), failure);
    Problems.send(rc, 500, "Internal Server Error", "the server failed; its log has the cause");
  }

  /** A problem for a status the router decided (404 no route, 405 wrong method, ...). */
  static void status(RoutingContext rc, int status) {
    switch (status) {
      case 404 ->
          Problems.send(
              rc,
              404,
              "Not Found",
              "no route " + rc.request().path() + " (GET /openapi.yaml lists the routes)");
      case 405 ->
          Problems.send(
              rc,
              405,
              "Method Not Allowed",
              rc.request().method() + " is not allowed on " + rc.request().path());
      case 400 -> Problems.send(rc, 400, "Bad Request", "the request could not be read");
      default ->
          Problems.send(rc, status, "HTTP " + status, "the request failed with status " + status);
    }
  }
}
