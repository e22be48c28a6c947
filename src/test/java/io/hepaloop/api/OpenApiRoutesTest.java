package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code openapi.yaml} describes exactly the routes the server has: every method and path of the
 * router is an operation of the document, and every operation is a route. The router carries every
 * feature's routes (security, plant, alarms, stream, auto-tune, lab, report, runs, recipes), so a
 * route added without its documentation, or documented but not served, fails here.
 */
class OpenApiRoutesTest {
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");
  @TempDir Path tmp;

  @Test
  void theDocumentAndTheRouterListTheSameOperations() throws Exception {
    Set<String> routes;
    try (ApiFixture f = new ApiFixture(tmp)) {
      // Every feature's routes, mounted as PlantRuntime mounts them (accesses are never called).
      ApiGuard guard = f.api.guard();
      FakePlantAccess plant = new FakePlantAccess("r1");
      PlantRoutes.mount(f.api.router(), guard, plant);
      AlarmRoutes.mount(f.api.router(), guard, null, plant);
      AlarmHistoryRoutes.mount(f.vertx, f.api.router(), guard, null, plant);
      HistoryRoutes.mount(f.api.router(), guard, plant, id -> null, HistoryAccess.NONE);
      new EventStream(List.of("r1"), new SimpleMeterRegistry(), EventStream.Options.defaults())
          .mount(f.api.router(), guard);
      RecipeRoutes.mount(f.vertx, f.api.router(), guard, null, f.api.audit());
      PlantFactsRoutes.mount(f.api.router(), guard, List.of());
      AuditRoutes.mount(f.api, guard);
      AutotuneRoutes.mount(
          f.api.router(),
          guard,
          (AutotuneAccess)
              java.lang.reflect.Proxy.newProxyInstance(
                  AutotuneAccess.class.getClassLoader(),
                  new Class<?>[] {AutotuneAccess.class},
                  (proxy, method, args) -> {
                    throw new UnsupportedOperationException("routes are listed, not called");
                  }));
      ReportRoutes.mount(
          f.vertx,
          f.api.router(),
          guard,
          (runId, wide) -> {
            throw new UnsupportedOperationException("routes are listed, not called");
          });
      LabRoutes.mount(
          f.vertx,
          f.api.router(),
          guard,
          new io.hepaloop.lab.LabSamples(
              f.store, f.clock, io.hepaloop.lab.LabAnalytes.defaults(), null),
          AuditRecorder.none());
      RunRoutes.mount(
          f.api.router(),
          guard,
          (RunAccess)
              java.lang.reflect.Proxy.newProxyInstance(
                  RunAccess.class.getClassLoader(),
                  new Class<?>[] {RunAccess.class},
                  (proxy, method, args) -> {
                    throw new UnsupportedOperationException("routes are listed, not called");
                  }),
          AuditRecorder.none());
      routes = routes(f.api);
    }
    Set<String> documented = documented();
    assertThat(routes).as("routes of the router").isNotEmpty();
    Set<String> undocumented = new TreeSet<>(routes);
    undocumented.removeAll(documented);
    Set<String> missing = new TreeSet<>(documented);
    missing.removeAll(routes);
    assertThat(undocumented).as("routes that openapi.yaml does not describe").isEmpty();
    assertThat(missing).as("operations of openapi.yaml that no route serves").isEmpty();
  }

  @Test
  void everyOperationNamesItsResponsesAndEveryRefResolves() throws Exception {
    JsonNode doc = document();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (!METHODS.contains(op.getKey())) {
          continue; // path-level parameters, summary, description
        }
        assertThat(op.getValue().path("responses").size())
            .as(op.getKey() + " " + path.getKey() + " responses")
            .isPositive();
        assertThat(op.getValue().path("operationId").asText())
            .as(op.getKey() + " " + path.getKey() + " operationId")
            .isNotEmpty();
      }
    }
    for (String ref : refs(doc, new TreeSet<>())) {
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
    assertThat(doc.at("/components/securitySchemes").size()).isEqualTo(3);
  }

  /** "GET /api/users/{name}/role" for each method of each route with a path. */
  static Set<String> routes(HttpApi api) {
    Set<String> out = new TreeSet<>();
    for (Route r : api.router().getRoutes()) {
      String path = r.getPath();
      if (path == null || r.methods() == null || r.methods().isEmpty()) {
        continue; // catch-alls: failure handler, body handler on /api/*
      }
      if (path.equals("/") || path.startsWith("/console")) {
        continue; // the browser console's files (ConsoleRoutes), not operations of the API
      }
      for (HttpMethod m : r.methods()) {
        out.add(m.name() + " " + path.replaceAll(":([A-Za-z0-9_]+)", "{$1}"));
      }
    }
    return out;
  }

  static Set<String> documented() throws Exception {
    Set<String> out = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document().get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<String> ops = path.getValue().fieldNames(); ops.hasNext(); ) {
        String op = ops.next();
        if (METHODS.contains(op)) {
          out.add(op.toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      }
    }
    return out;
  }

  private static JsonNode document() throws Exception {
    try (InputStream in = OpenApiRoutesTest.class.getResourceAsStream("/openapi.yaml")) {
      return new ObjectMapper(new YAMLFactory()).readTree(in);
    }
  }

  private static Set<String> refs(JsonNode node, Set<String> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("$ref")) {
                  out.add(e.getValue().asText());
                } else {
                  refs(e.getValue(), out);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> refs(n, out));
    }
    return out;
  }
}
