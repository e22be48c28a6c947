package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.users.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a history store (no InfluxDB configured) the route answers 503 with a problem that says
 * live data only, after the same checks as with one (unknown reactor 404, bad parameter 400).
 */
class HistoryRoutesTest {
  @TempDir Path tmp;

  @Test
  void withoutInfluxDbTheRouteSaysLiveDataOnly() {
    try (ApiFixture f = new ApiFixture(tmp)) {
      f.user("vera", Role.VIEWER);
      HistoryRoutes.mount(
          f.api.router(),
          f.api.guard(),
          new FakePlantAccess("r1"),
          id -> FakePlantAccess.PROFILE,
          HistoryAccess.NONE);
      ApiFixture.Client viewer = f.loggedIn("vera");
      ApiFixture.Response r = viewer.get("/api/reactors/r1/history?signals=temperature");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.contentType()).startsWith(Problems.CONTENT_TYPE);
      assertThat(r.json().getString("detail")).contains("No InfluxDB").contains("live data only");
      assertThat(viewer.get("/api/reactors/r9/history").status()).isEqualTo(404);
      assertThat(viewer.get("/api/reactors/r1/history?maxPoints=0").status()).isEqualTo(400);
    }
  }
}
