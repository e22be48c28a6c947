package io.hepaloop.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lab results over a real database: an entry is revision 1, a correction revision n+1 with its
 * reason while the old one stays (and the table's triggers refuse to change or delete it), times
 * are checked against the run and the clock, and the listener hears of each committed revision.
 */
class LabSamplesTest {
  static final String RUN = "R1-20260101-080000";
  static final Instant CREATED = Instant.parse("2026-01-01T08:00:00Z");

  @TempDir Path tmp;
  Store store;
  ManualClock clock;
  LabSamples lab;
  final List<LabSample> published = new ArrayList<>();

  @BeforeEach
  void open() {
    store = Store.open(tmp);
    clock = new ManualClock(CREATED.plus(Duration.ofDays(3)));
    TestRuns.insert(store, RUN, "R1", CREATED, null);
    lab = new LabSamples(store, clock, LabAnalytes.defaults(), published::add);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static LabEntry glucose(double mgPerDl, Instant sampledAt) {
    return new LabEntry(
        "glucose",
        mgPerDl,
        "mg/dL",
        sampledAt,
        sampledAt.plus(Duration.ofHours(20)),
        "GOD-POD",
        null,
        false);
  }

  private static LabCorrection fix(double value, String unit, String reason) {
    return new LabCorrection(value, unit, reason, null, null, null, null, null);
  }

  @Test
  void anEntryIsStoredWithItsCanonicalValueAndPublished() {
    Instant sampled = CREATED.plus(Duration.ofDays(1));
    LabSample s = lab.enter(RUN, glucose(90.08, sampled), "olga").sample();

    assertThat(s.sampleId()).isEqualTo("LS-000001");
    assertThat(s.revision()).isEqualTo(1);
    assertThat(s.reactorId()).isEqualTo("R1");
    assertThat(s.valueCanonical()).isCloseTo(5.0, within(1e-9));
    assertThat(s.canonicalUnit()).isEqualTo("mmol/L");
    assertThat(s.enteredBy()).isEqualTo("olga");
    assertThat(s.enteredAt()).isEqualTo(clock.now());
    assertThat(lab.latest(RUN)).containsExactly(s);
    assertThat(published).containsExactly(s);
  }

  @Test
  void aCorrectionAddsARevisionAndKeepsTheOldValue() {
    Instant sampled = CREATED.plus(Duration.ofDays(1));
    LabSample first = lab.enter(RUN, glucose(90.08, sampled), "olga").sample();
    clock.advance(Duration.ofHours(2));
    LabSamples.Recorded fixed =
        lab.correct(RUN, first.sampleId(), fix(4.2, "mmol/L", "transcription error"), "eve");

    assertThat(fixed.previous()).isEqualTo(first);
    LabSample second = fixed.sample();
    assertThat(second.revision()).isEqualTo(2);
    assertThat(second.value()).isEqualTo(4.2);
    assertThat(second.reason()).isEqualTo("transcription error");
    assertThat(second.enteredBy()).isEqualTo("eve");
    assertThat(second.sampledAt()).isEqualTo(first.sampledAt());
    assertThat(second.method()).isEqualTo("GOD-POD");

    List<LabSample> latest = lab.latest(RUN);
    assertThat(latest).hasSize(1);
    assertThat(latest.get(0).revision()).isEqualTo(2);
    assertThat(latest.get(0).revisions()).isEqualTo(2);
    List<LabSample> all = lab.allRevisions(RUN);
    assertThat(all).extracting(LabSample::revision).containsExactly(1, 2);
    assertThat(all.get(0).value()).isEqualTo(90.08);
    assertThat(all.get(0).unit()).isEqualTo("mg/dL");
    assertThat(published).extracting(LabSample::revision).containsExactly(1, 2);
  }

  @Test
  void theTableRefusesToChangeOrDeleteARevision() {
    lab.enter(RUN, glucose(90, CREATED.plus(Duration.ofDays(1))), "olga");
    assertThatThrownBy(() -> exec("UPDATE lab_samples SET value = 1"))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> exec("DELETE FROM lab_samples")).hasMessageContaining("append-only");
    assertThat(lab.latest(RUN).get(0).value()).isEqualTo(90.0);
  }

  private void exec(String sql) {
    store.transaction(
        c -> {
          try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
          }
        });
  }

  @Test
  void aCorrectionNeedsAReasonAndASampleOfTheRun() {
    LabSample s = lab.enter(RUN, glucose(90, CREATED.plus(Duration.ofDays(1))), "olga").sample();
    assertThatThrownBy(() -> lab.correct(RUN, s.sampleId(), fix(4, "mmol/L", " "), "eve"))
        .isInstanceOfSatisfying(
            LabInputException.class, e -> assertThat(e.field()).isEqualTo("reason"));
    assertThatThrownBy(() -> lab.correct(RUN, "LS-999999", fix(4, "mmol/L", "x"), "eve"))
        .isInstanceOf(LabNotFoundException.class)
        .hasMessageContaining("LS-999999");
    TestRuns.insert(store, "R2-20260101-080000", "R2", CREATED, null);
    assertThatThrownBy(
            () -> lab.correct("R2-20260101-080000", s.sampleId(), fix(4, "mmol/L", "x"), "eve"))
        .isInstanceOf(LabNotFoundException.class);
    assertThat(lab.allRevisions(RUN)).hasSize(1);
  }

  @Test
  void sampleIdsAreUniqueAcrossRuns() {
    TestRuns.insert(store, "R2-20260101-080000", "R2", CREATED, null);
    Instant t = CREATED.plus(Duration.ofDays(1));
    String a = lab.enter(RUN, glucose(90, t), "olga").sample().sampleId();
    String b = lab.enter("R2-20260101-080000", glucose(90, t), "olga").sample().sampleId();
    String c = lab.enter(RUN, glucose(90, t), "olga").sample().sampleId();
    assertThat(List.of(a, b, c)).containsExactly("LS-000001", "LS-000002", "LS-000003");
    assertThat(lab.latest("R2-20260101-080000")).extracting(LabSample::sampleId).containsExactly(b);
  }

  @Test
  void anUnknownRunIsNotFound() {
    assertThatThrownBy(() -> lab.enter("R9-20260101-080000", glucose(90, CREATED), "olga"))
        .isInstanceOf(LabNotFoundException.class)
        .hasMessageContaining("R9-20260101-080000");
    assertThatThrownBy(() -> lab.latest("nope")).isInstanceOf(LabNotFoundException.class);
  }

  @Test
  void timesMustLieInTheRunInOrderAndNotInTheFuture() {
    assertField("sampledAt", glucose(90, CREATED.minusSeconds(1)), "before run");
    assertField("sampledAt", glucose(90, clock.now().plus(Duration.ofMinutes(6))), "future");
    Instant t = CREATED.plus(Duration.ofDays(1));
    assertField(
        "measuredAt",
        new LabEntry("glucose", 90.0, "mg/dL", t, t.minusSeconds(1), null, null, false),
        "before the sample was drawn");
    assertField(
        "measuredAt",
        new LabEntry(
            "glucose", 90.0, "mg/dL", t, clock.now().plus(Duration.ofHours(1)), null, null, false),
        "future");
    // within the skew: a lab PC's clock a little ahead
    Instant ahead = clock.now().plus(Duration.ofMinutes(4));
    assertThat(
            lab.enter(
                    RUN,
                    new LabEntry("glucose", 90.0, "mg/dL", ahead, ahead, null, null, false),
                    "olga")
                .sample()
                .sampledAt())
        .isEqualTo(ahead);
  }

  @Test
  void anEndedRunTakesSamplesOfItsTimeMeasuredLater() {
    String ended = "R3-20260101-080000";
    Instant end = CREATED.plus(Duration.ofDays(2));
    TestRuns.insert(store, ended, "R3", CREATED, end);
    assertField(ended, "sampledAt", glucose(90, end.plusSeconds(1)), "after run");
    LabSample s = lab.enter(ended, glucose(90, end.minusSeconds(60)), "olga").sample();
    assertThat(s.measuredAt()).isAfter(end);
  }

  @Test
  void badValuesUnitsAndDetectionLimitsAreRefusedNamingTheField() {
    Instant t = CREATED.plus(Duration.ofDays(1));
    assertField(
        "analyte", new LabEntry("bilirubin", 1.0, "mg/dL", t, t, null, null, false), "bilirubin");
    assertField(
        "unit", new LabEntry("viability", 90.0, "mg/dL", t, t, null, null, false), "viability");
    assertField(
        "unit", new LabEntry("albumin", 0.5, "mmol/L", t, t, null, null, false), "molar mass");
    assertField("value", new LabEntry("albumin", -1.0, "µg/mL", t, t, null, null, false), ">= 0");
    assertField(
        "value", new LabEntry("albumin", null, "µg/mL", t, t, null, null, false), "missing");
    assertField(
        "detectionLimit",
        new LabEntry("albumin", null, "µg/mL", t, t, null, null, true),
        "required");
    assertField(
        "value",
        new LabEntry("albumin", 1.0, "µg/mL", t, t, null, 2.0, false),
        "belowDetectionLimit");
    assertThat(lab.allRevisions(RUN)).isEmpty();
    assertThat(published).isEmpty();
  }

  @Test
  void aResultBelowTheDetectionLimitStoresTheLimit() {
    Instant t = CREATED.plus(Duration.ofDays(1));
    LabSample s =
        lab.enter(RUN, new LabEntry("albumin", null, "mg/L", t, t, "ELISA", 0.5, true), "olga")
            .sample();
    assertThat(s.value()).isEqualTo(0.5);
    assertThat(s.valueCanonical()).isCloseTo(0.5, within(1e-12));
    assertThat(s.belowDetectionLimit()).isTrue();
    assertThat(s.describe()).contains("< 0.5 mg/L").contains("below detection limit");
  }

  private void assertField(String field, LabEntry entry, String contains) {
    assertField(RUN, field, entry, contains);
  }

  private void assertField(String run, String field, LabEntry entry, String contains) {
    assertThatThrownBy(() -> lab.enter(run, entry, "olga"))
        .isInstanceOfSatisfying(
            LabInputException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(contains);
  }
}
