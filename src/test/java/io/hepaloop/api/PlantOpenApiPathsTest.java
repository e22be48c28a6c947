package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The plant, alarm and stream routes and {@code openapi.yaml} name the same paths and methods: a
 * route added without its documentation (or documented but not served) fails here.
 */
class PlantOpenApiPathsTest {

  @Test
  void everyPlantAlarmAndStreamRouteIsDocumentedAndNothingElseUnderApi() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      TestRoleGuard guard = new TestRoleGuard();
      FakePlantAccess plant = new FakePlantAccess("r1");
      PlantRoutes.mount(router, guard, plant);
      AlarmRoutes.mount(router, guard, null, plant);
      new EventStream(
              java.util.List.of("r1"), new SimpleMeterRegistry(), EventStream.Options.defaults())
          .mount(router, guard);
      Set<String> served = new TreeSet<>();
      for (Route r : router.getRoutes()) {
        if (r.getPath() == null || r.methods() == null) {
          continue;
        }
        String path = r.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
        r.methods().forEach(m -> served.add(m.name().toLowerCase(Locale.ROOT) + " " + path));
      }
      Set<String> documented = new TreeSet<>();
      try (InputStream in = getClass().getResourceAsStream("/openapi.yaml")) {
        JsonNode paths = new YAMLMapper().readTree(in).path("paths");
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
          String p = it.next();
          if (isMine(p)) {
            paths.path(p).fieldNames().forEachRemaining(m -> documented.add(m + " " + p));
          }
        }
      }
      assertThat(served).isNotEmpty().isEqualTo(documented);
    } finally {
      vertx.close().await();
    }
  }

  private static boolean isMine(String path) {
    return path.startsWith("/api/reactors")
        || path.startsWith("/api/alarm")
        || path.equals("/api/events")
        || path.equals("/api/stream");
  }
}
