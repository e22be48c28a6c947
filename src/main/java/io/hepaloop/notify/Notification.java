package io.hepaloop.notify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What a person is told about an alarm: what, where, since when, and what to do. The JSON body of a
 * webhook and the text of an e-mail are made from it.
 *
 * @param id unique per notification: receivers de-duplicate on it (delivery is at least once)
 * @param priority {@code critical}, {@code high}, {@code medium} or {@code low}
 * @param reactorId the reactor concerned, or null for plant-wide
 * @param what one sentence: the condition ("outlet pO2 low: 31.2 mmHg below 35 mmHg")
 * @param since when the condition began (device time)
 * @param action the corrective action from the alarm's rationale
 */
public record Notification(
    String id, String priority, String reactorId, String what, Instant since, String action) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("priority", priority)
        .put("reactor", reactorId)
        .put("what", what)
        .put("since", since.toString())
        .put("action", action);
  }
}
