package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditEntry;
import io.hepaloop.store.Store;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit viewer's routes over a real server, database and trail: a setpoint an operator changes
 * is found by an engineer with filters; pages go back through the trail without losing or repeating
 * a record; verify says intact, and names the record once the file is tampered with; the CSV export
 * quotes what must be quoted; roles below engineer and bad parameters are refused.
 */
class AuditRoutesTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  ApiFixture f;

  private void start(boolean withTrail) {
    f = withTrail ? new ApiFixture(tmp, AuditSignatures.Mode.RESEARCH) : new ApiFixture(tmp);
    FakePlantAccess plant = new FakePlantAccess("r1", "r10");
    PlantRoutes.mount(f.api.router(), f.api.guard(), plant, f.api.audit());
    AuditRoutes.mount(f.api, f.api.guard());
    f.user("eve", Role.ENGINEER);
    f.user("olga", Role.OPERATOR);
    f.user("vic", Role.VIEWER);
    f.user("root", Role.ADMIN);
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private static List<JsonObject> records(ApiFixture.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonArray a = r.json().getJsonArray("records");
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.getJsonObject(i));
    }
    return out;
  }

  @Test
  void anEngineerFindsTheOperatorsSetpointChangeAndLowerRolesAreRefused() {
    start(true);
    ApiFixture.Client olga = f.loggedIn("olga");
    assertThat(
            olga.send(
                    "PUT",
                    "/api/reactors/r1/loops/temperature/setpoint",
                    new JsonObject().put("setpoint", 37.5).put("comment", "warmer, \"as agreed\""))
                .status())
        .isEqualTo(200);
    ApiFixture.Client eve = f.loggedIn("eve");
    List<JsonObject> found =
        await()
            .atMost(WAIT)
            .until(
                () -> records(eve.get("/api/audit?action=setpoint&user=olga&target=r1")),
                l -> !l.isEmpty());
    assertThat(found).singleElement();
    JsonObject r = found.get(0);
    assertThat(r.getString("user")).isEqualTo("olga");
    assertThat(r.getString("role")).isEqualTo("operator");
    assertThat(r.getString("target")).isEqualTo("r1/temperature");
    assertThat(r.getString("oldValue")).isEqualTo("30 °C");
    assertThat(r.getString("newValue")).isEqualTo("37.5 °C");
    assertThat(r.getString("reason")).isEqualTo("warmer, \"as agreed\"");
    assertThat(r.getString("hash")).hasSize(64);
    assertThat(Instant.parse(r.getString("recordedAt"))).isNotNull();

    // another reactor whose id starts the same is not "below" r1
    assertThat(records(eve.get("/api/audit?target=r10"))).isEmpty();
    assertThat(records(eve.get("/api/audit?action=setpoint&user=eve"))).isEmpty();
    assertThat(records(f.loggedIn("root").get("/api/audit?action=setpoint"))).hasSize(1);

    for (String path : List.of("/api/audit", "/api/audit/verify", "/api/audit/export.csv")) {
      assertThat(olga.get(path).status()).as("operator " + path).isEqualTo(403);
      assertThat(f.loggedIn("vic").get(path).status()).as("viewer " + path).isEqualTo(403);
      assertThat(f.client().get(path).status()).as("nobody " + path).isEqualTo(401);
    }
  }

  @Test
  void pagesGoBackThroughTheTrailWithoutLosingOrRepeatingARecordAndFiltersByTimeAndRun() {
    start(true);
    Instant start = f.clock.now();
    for (int i = 0; i < 25; i++) {
      f.audit.enqueue(
          AuditEntry.of(
              "olga",
              "operator",
              AuditAction.OPERATOR_NOTE,
              "run-" + (i % 2),
              null,
              "note " + i,
              null,
              i % 2 == 0 ? "r1-20261202-060000" : null));
      f.clock.advance(Duration.ofSeconds(1));
    }
    f.audit.flush();
    ApiFixture.Client eve = f.loggedIn("eve");
    List<Long> seen = new ArrayList<>();
    String next = "";
    int pages = 0;
    do {
      ApiFixture.Response r = eve.get("/api/audit?action=operator_note&limit=7" + next);
      records(r).forEach(o -> seen.add(o.getLong("sequence")));
      Long before = r.json().getLong("nextBeforeSeq");
      next = before == null ? null : "&beforeSeq=" + before;
      pages++;
    } while (next != null);
    assertThat(pages).isEqualTo(4);
    assertThat(seen)
        .hasSize(25)
        .doesNotHaveDuplicates()
        .isSortedAccordingTo((a, b) -> -Long.compare(a, b));

    List<JsonObject> inRun = records(eve.get("/api/audit?runId=r1-20261202-060000&limit=1000"));
    assertThat(inRun).hasSize(13).allMatch(o -> o.getString("runId").equals("r1-20261202-060000"));

    // from is inclusive, to exclusive: notes 5..9 were recorded at start+5s..start+9s
    List<JsonObject> window =
        records(
            eve.get(
                "/api/audit?action=operator_note&from="
                    + start.plusSeconds(5)
                    + "&to="
                    + start.plusSeconds(10)));
    assertThat(window)
        .extracting(o -> o.getString("newValue"))
        .containsExactly("note 9", "note 8", "note 7", "note 6", "note 5");
  }

  @Test
  void verifySaysIntactAndNamesTheRecordEditedInTheFile() throws Exception {
    start(true);
    ApiFixture.Client eve = f.loggedIn("eve");
    for (int i = 0; i < 3; i++) {
      f.audit.append(
          AuditEntry.of(
              "olga", "operator", AuditAction.SETPOINT, "r1/ph", "7", "7." + i, null, null));
    }
    JsonObject ok = eve.get("/api/audit/verify").json();
    assertThat(ok.getBoolean("intact")).isTrue();
    assertThat(ok.getLong("records")).isGreaterThanOrEqualTo(4); // the login and three setpoints
    assertThat(ok.getJsonArray("findings")).isEmpty();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve(Store.FILE_NAME));
        Statement s = c.createStatement()) {
      s.executeUpdate("DROP TRIGGER audit_records_no_update");
      s.executeUpdate(
          "UPDATE audit_records SET new_value = '9.9' WHERE action = 'setpoint' AND new_value = '7.1'");
    }
    JsonObject tampered = eve.get("/api/audit/verify").json();
    assertThat(tampered.getBoolean("intact")).isFalse();
    JsonObject finding = tampered.getJsonArray("findings").getJsonObject(0);
    assertThat(finding.getString("kind")).isEqualTo("EDITED");
    long editedSeq =
        records(eve.get("/api/audit?action=setpoint")).stream()
            .filter(o -> "9.9".equals(o.getString("newValue")))
            .findFirst()
            .orElseThrow()
            .getLong("sequence");
    assertThat(finding.getLong("sequence")).isEqualTo(editedSeq);
  }

  @Test
  void theCsvExportHasTheHeaderAndQuotesWhatMustBeQuoted() {
    start(true);
    f.audit.append(
        AuditEntry.of(
            "olga", "operator", AuditAction.OPERATOR_NOTE, "r1", null, "a, \"b\"\nc", null, null));
    ApiFixture.Response csv = f.loggedIn("eve").get("/api/audit/export.csv");
    assertThat(csv.status()).as(csv.body()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.headers().firstValue("Content-Disposition").orElse(""))
        .startsWith("attachment; filename=\"hepaloop-audit-");
    assertThat(csv.body()).startsWith("sequence,recorded_at,user,role,action,target,");
    assertThat(csv.body()).contains(",\"a, \"\"b\"\"\nc\",");

    ApiFixture.Response bad = f.loggedIn("eve").get("/api/audit/export.csv?from=yesterday");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("from").contains("ISO-8601");
  }

  @Test
  void badParametersAreRefusedNamingTheParameter() {
    start(true);
    ApiFixture.Client eve = f.loggedIn("eve");
    assertBad(eve, "/api/audit?limit=0", "limit");
    assertBad(eve, "/api/audit?limit=1001", "limit");
    assertBad(eve, "/api/audit?limit=many", "limit");
    assertBad(eve, "/api/audit?action=bake", "action");
    assertBad(eve, "/api/audit?from=noon", "from");
    assertBad(eve, "/api/audit?from=2026-12-02T05:00:00Z&to=2026-12-02T04:00:00Z", "from");
    assertBad(eve, "/api/audit?beforeSeq=x", "beforeSeq");
    assertBad(eve, "/api/audit?beforeSeq=0", "beforeSeq");
    assertBad(eve, "/api/audit?usr=olga", "usr");
    assertBad(eve, "/api/audit/verify?deep=1", "deep");
  }

  private static void assertBad(ApiFixture.Client c, String path, String field) {
    ApiFixture.Response r = c.get(path);
    assertThat(r.status()).as(path + " " + r.body()).isEqualTo(400);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .as(path)
        .isEqualTo(field);
  }

  @Test
  void aServerWithoutATrailSaysSo() {
    start(false);
    ApiFixture.Response r = f.loggedIn("eve").get("/api/audit");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.body()).contains("no audit trail");
  }
}
