package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.hepaloop.lab.LabAnalytes;
import io.hepaloop.lab.LabSample;
import io.hepaloop.lab.LabSamples;
import io.hepaloop.lab.TestRuns;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab routes over HTTP with a real server, database and audit trail: an operator enters a
 * result, a correction adds a revision while the old value stays and is audited with both values
 * and the reason, a unit of the wrong kind is refused naming the field and what is expected, an
 * unknown run is 404, and a viewer reads but cannot enter.
 */
class LabRoutesTest {
  static final String RUN = "R1-20260101-000000";
  static final String SAMPLES = "/api/runs/" + RUN + "/samples";
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  ApiFixture f;
  final List<LabSample> published = new CopyOnWriteArrayList<>();
  ApiFixture.Client olga;
  ApiFixture.Client eve;
  ApiFixture.Client vera;

  @BeforeEach
  void start() {
    f = new ApiFixture(tmp, AuditSignatures.Mode.RESEARCH);
    // the run was created at the fixture clock's start; samples are entered two days later
    TestRuns.insert(f.store, RUN, "R1", f.clock.now(), null);
    f.clock.advance(Duration.ofDays(2));
    LabSamples lab = new LabSamples(f.store, f.clock, LabAnalytes.defaults(), published::add);
    LabRoutes.mount(f.vertx, f.api.router(), f.api.guard(), lab, f.api.audit());
    f.user("olga", Role.OPERATOR);
    f.user("eve", Role.ENGINEER);
    f.user("vera", Role.VIEWER);
    olga = f.loggedIn("olga");
    eve = f.loggedIn("eve");
    vera = f.loggedIn("vera");
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private String at(Duration afterCreation) {
    return Instant.parse("2026-01-01T00:00:00Z").plus(afterCreation).toString();
  }

  private JsonObject glucose(double mgPerDl) {
    return new JsonObject()
        .put("analyte", "glucose")
        .put("value", mgPerDl)
        .put("unit", "mg/dL")
        .put("sampledAt", at(Duration.ofHours(30)))
        .put("measuredAt", at(Duration.ofHours(40)))
        .put("method", "GOD-POD");
  }

  private List<Map<String, String>> awaitRecords(String action, int count) {
    return await()
        .atMost(WAIT)
        .until(() -> AuditRows.of(f.store, action), rows -> rows.size() >= count);
  }

  @Test
  void anOperatorEntersAResultThatIsStoredConvertedAndAudited() {
    ApiFixture.Response r = olga.send("POST", SAMPLES, glucose(90.08));

    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    JsonObject s = r.json();
    assertThat(s.getString("sampleId")).isEqualTo("LS-000001");
    assertThat(r.headers().firstValue("Location")).hasValue(SAMPLES + "/LS-000001");
    assertThat(s.getInteger("revision")).isEqualTo(1);
    assertThat(s.getDouble("valueCanonical")).isCloseTo(5.0, within(1e-9));
    assertThat(s.getString("canonicalUnit")).isEqualTo("mmol/L");
    assertThat(s.getString("enteredBy")).isEqualTo("olga");
    assertThat(s.getString("sampledAt")).isEqualTo("2026-01-02T06:00:00Z");
    assertThat(published).hasSize(1);

    Map<String, String> rec = awaitRecords("lab_entry", 1).get(0);
    assertThat(rec)
        .containsEntry("user_name", "olga")
        .containsEntry("role", "operator")
        .containsEntry("target", "run/" + RUN + "/sample/LS-000001")
        .containsEntry("run_id", RUN)
        .containsEntry("old_value", null);
    assertThat(rec.get("new_value")).contains("glucose 90.08 mg/dL").contains("mmol/L");

    JsonArray list = vera.get(SAMPLES).json().getJsonArray("samples");
    assertThat(list).hasSize(1);
    assertThat(list.getJsonObject(0).getInteger("revisions")).isEqualTo(1);
  }

  @Test
  void aCorrectionKeepsTheOldValueAndIsAuditedWithBothAndTheReason() {
    String id = olga.send("POST", SAMPLES, glucose(90.08)).json().getString("sampleId");
    ApiFixture.Response r =
        eve.send(
            "POST",
            SAMPLES + "/" + id + "/corrections",
            new JsonObject().put("value", 4.2).put("unit", "mmol/L").put("reason", "wrong tube"));

    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.json().getInteger("revision")).isEqualTo(2);
    assertThat(r.json().getString("reason")).isEqualTo("wrong tube");
    assertThat(r.json().getString("enteredBy")).isEqualTo("eve");

    JsonArray latest = vera.get(SAMPLES).json().getJsonArray("samples");
    assertThat(latest).hasSize(1);
    assertThat(latest.getJsonObject(0).getDouble("value")).isEqualTo(4.2);
    assertThat(latest.getJsonObject(0).getInteger("revisions")).isEqualTo(2);
    JsonArray all = vera.get(SAMPLES + "?allRevisions=true").json().getJsonArray("samples");
    assertThat(all).hasSize(2);
    assertThat(all.getJsonObject(0).getDouble("value")).isEqualTo(90.08);
    assertThat(all.getJsonObject(0).getString("unit")).isEqualTo("mg/dL");

    Map<String, String> rec = awaitRecords("lab_correction", 1).get(0);
    assertThat(rec)
        .containsEntry("user_name", "eve")
        .containsEntry("role", "engineer")
        .containsEntry("target", "run/" + RUN + "/sample/" + id)
        .containsEntry("reason", "wrong tube")
        .containsEntry("run_id", RUN);
    assertThat(rec.get("old_value")).contains("glucose 90.08 mg/dL");
    assertThat(rec.get("new_value")).contains("glucose 4.2 mmol/L");
  }

  @Test
  void aCorrectionWithoutAReasonIsRefusedAndChangesNothing() {
    String id = olga.send("POST", SAMPLES, glucose(90.08)).json().getString("sampleId");
    ApiFixture.Response r =
        olga.send(
            "POST",
            SAMPLES + "/" + id + "/corrections",
            new JsonObject().put("value", 4.2).put("unit", "mmol/L"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("reason");
    assertThat(vera.get(SAMPLES + "?allRevisions=true").json().getJsonArray("samples")).hasSize(1);
  }

  @Test
  void aUnitOfTheWrongKindIsRefusedNamingTheFieldAndWhatIsExpected() {
    JsonObject viability =
        new JsonObject()
            .put("analyte", "viability")
            .put("value", 92)
            .put("unit", "mg/dL")
            .put("sampledAt", at(Duration.ofHours(30)))
            .put("measuredAt", at(Duration.ofHours(30)));
    ApiFixture.Response r = olga.send("POST", SAMPLES, viability);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith(Problems.CONTENT_TYPE);
    JsonObject error = r.json().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("field")).isEqualTo("unit");
    assertThat(error.getString("problem"))
        .contains("analyte viability")
        .contains("'mg/dL'")
        .contains("expected a unit like %");
    ApiFixture.Response albumin =
        olga.send(
            "POST", SAMPLES, viability.copy().put("analyte", "albumin").put("unit", "mmol/L"));
    assertThat(albumin.json().getString("detail")).contains("molar mass");
    assertThat(vera.get(SAMPLES).json().getJsonArray("samples")).isEmpty();
    assertThat(published).isEmpty();
    // the refusal is on record, with what was asked and why
    Map<String, String> rec = awaitRecords("lab_entry", 1).get(0);
    assertThat(rec.get("new_value")).startsWith(AuditRecorder.REFUSED).contains("mg/dL");
    assertThat(rec.get("reason")).startsWith("unit: analyte viability");
  }

  @Test
  void malformedBodiesNumbersAndTimesAreRefusedNamingTheField() {
    assertBad(olga.raw("POST", SAMPLES, "{not json", true), "body");
    assertBad(olga.send("POST", SAMPLES, glucose(1).put("value", "90")), "value");
    assertBad(olga.send("POST", SAMPLES, glucose(1).put("sampledAt", "yesterday")), "sampledAt");
    assertBad(olga.send("POST", SAMPLES, glucose(1).put("detectionLimt", 1)), "detectionLimt");
    assertBad(
        olga.send("POST", SAMPLES, glucose(1).put("sampledAt", at(Duration.ofDays(3)))),
        "sampledAt");
    assertBad(vera.get(SAMPLES + "?allRevisions=yes"), "allRevisions");
    assertThat(vera.get(SAMPLES).json().getJsonArray("samples")).isEmpty();
  }

  private static void assertBad(ApiFixture.Response r, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo(field);
  }

  @Test
  void anUnknownRunOrSampleIsNotFound() {
    ApiFixture.Response entry =
        olga.send("POST", "/api/runs/R9-20260101-000000/samples", glucose(90));
    assertThat(entry.status()).isEqualTo(404);
    assertThat(entry.json().getString("detail")).contains("R9-20260101-000000");
    assertThat(vera.get("/api/runs/R9-20260101-000000/samples").status()).isEqualTo(404);
    ApiFixture.Response fix =
        olga.send(
            "POST",
            SAMPLES + "/LS-000404/corrections",
            new JsonObject().put("value", 1).put("unit", "mmol/L").put("reason", "x"));
    assertThat(fix.status()).isEqualTo(404);
  }

  @Test
  void aViewerReadsButCannotEnterOrCorrect() {
    assertThat(vera.send("POST", SAMPLES, glucose(90)).status()).isEqualTo(403);
    String id = olga.send("POST", SAMPLES, glucose(90.08)).json().getString("sampleId");
    ApiFixture.Response fix =
        vera.send(
            "POST",
            SAMPLES + "/" + id + "/corrections",
            new JsonObject().put("value", 1).put("unit", "mmol/L").put("reason", "x"));
    assertThat(fix.status()).isEqualTo(403);
    assertThat(vera.get(SAMPLES).json().getJsonArray("samples")).hasSize(1);
    JsonArray analytes = vera.get("/api/lab/analytes").json().getJsonArray("analytes");
    assertThat(analytes.stream().map(a -> ((JsonObject) a).getString("id")))
        .contains("albumin", "urea", "ldh", "glucose", "lactate", "viability");
    assertThat(f.client().get(SAMPLES).status()).isEqualTo(401);
  }
}
