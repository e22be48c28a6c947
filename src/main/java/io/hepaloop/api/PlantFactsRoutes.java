package io.hepaloop.api;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/plant} (viewer): what the configuration says about each reactor that a display
 * needs besides live values: its signals with unit, kind and instrument range (the scale of an
 * analog indicator), the oxygen solubility α and the cells seeded (to derive OUR per 10⁶ cells from
 * flow and the two pO2 values, as telemetry does). Fixed while the plant runs, so the answer is
 * built once.
 */
public final class PlantFactsRoutes {
  /**
   * One configured reactor.
   *
   * @param cellsSeeded cells on the construct from the plant configuration; null when not known
   */
  public record ReactorFacts(
      String reactorId, String displayName, DeviceProfile profile, Long cellsSeeded) {}

  private PlantFactsRoutes() {}

  /** Adds {@code GET /api/plant} behind {@code guard} (viewer). */
  public static void mount(Router router, ApiGuard guard, List<ReactorFacts> reactors) {
    String body = json(reactors).encode();
    router
        .get("/api/plant")
        .handler(guard.require(Role.VIEWER))
        .handler(rc -> PlantRoutes.json(rc, 200, body));
  }

  static JsonObject json(List<ReactorFacts> reactors) {
    JsonArray out = new JsonArray();
    for (ReactorFacts r : reactors) {
      JsonArray signals = new JsonArray();
      for (SignalSpec s : r.profile().signals()) {
        signals.add(
            new JsonObject()
                .put("signal", s.id())
                .put("kind", s.kind() == null ? null : s.kind().name().toLowerCase(Locale.ROOT))
                .put("description", s.description())
                .put("unit", s.unit())
                .put("range", PlantJson.range(s.range())));
      }
      out.add(
          new JsonObject()
              .put("reactorId", r.reactorId())
              .put("displayName", r.displayName())
              .put("cellsSeeded", r.cellsSeeded())
              .put(
                  "oxygenSolubilityNmolPerMlMmHg",
                  PlantJson.num(r.profile().oxygenSolubilityNmolPerMlMmHg()))
              .put("signals", signals));
    }
    return new JsonObject().put("reactors", out);
  }
}
