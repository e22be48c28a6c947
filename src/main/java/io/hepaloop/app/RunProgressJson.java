package io.hepaloop.app;

import io.hepaloop.run.ProcedureState;
import io.hepaloop.run.RecipeProgress;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link RecipeProgress} as the JSON of {@code runs.progress_json}: instants as ISO-8601 text with
 * every digit kept (a resumed phase continues at the same nanosecond offset), prompts sorted.
 */
final class RunProgressJson {
  private RunProgressJson() {}

  static String write(RecipeProgress p) {
    return new JsonObject()
        .put("recipeSha256", p.recipeSha256())
        .put("state", p.state().name())
        .put("phaseIndex", p.phaseIndex())
        .put("phaseStartedAt", text(p.phaseStartedAt()))
        .put("heldS", p.heldS())
        .put("heldSince", text(p.heldSince()))
        .put(
            "answeredPrompts",
            new JsonArray(java.util.List.copyOf(new TreeSet<>(p.answeredPrompts()))))
        .encode();
  }

  /**
   * @throws IllegalArgumentException naming what is wrong
   */
  static RecipeProgress read(String json) {
    try {
      JsonObject o = new JsonObject(json);
      Set<String> answered = new HashSet<>();
      JsonArray a = o.getJsonArray("answeredPrompts", new JsonArray());
      for (int i = 0; i < a.size(); i++) {
        answered.add(a.getString(i));
      }
      return new RecipeProgress(
          o.getString("recipeSha256"),
          ProcedureState.valueOf(o.getString("state")),
          o.getInteger("phaseIndex"),
          instant(o.getString("phaseStartedAt")),
          o.getDouble("heldS", 0.0),
          instant(o.getString("heldSince")),
          answered);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "saved run progress is not readable: " + e.getMessage(), e);
    }
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
