package io.hepaloop.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Error answers as RFC 9457 {@code application/problem+json}: a status, a short title and a detail
 * sentence naming what is wrong; for invalid input, {@code errors} lists each field and its
 * problem. Every 4xx and 5xx of the API goes through here, so clients parse one shape.
 */
public final class Problems {
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  /** One invalid field: its JSON pointer-ish name ({@code setpoint}, {@code ids[2]}) and why. */
  public record FieldError(String field, String problem) {}

  /** Ends the request with a problem; nothing else may be written to it after this. */
  public static void send(
      RoutingContext rc, int status, String title, String detail, FieldError... errors) {
    JsonObject body =
        new JsonObject()
            .put("type", "about:blank")
            .put("title", title)
            .put("status", status)
            .put("detail", detail);
    if (errors.length > 0) {
      JsonArray list = new JsonArray();
      for (FieldError e : errors) {
        list.add(new JsonObject().put("field", e.field()).put("problem", e.problem()));
      }
      body.put("errors", list);
    }
    if (rc.response().ended()) {
      return;
    }
    rc.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(body.encode());
  }

  /** 400 for one invalid field. */
  public static void badField(RoutingContext rc, String field, String problem) {
    send(rc, 400, "Invalid request", field + ": " + problem, new FieldError(field, problem));
  }
}
