package io.hepaloop.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.report.RunReport.AlarmStats;
import io.hepaloop.report.RunReport.LabResult;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database's part of the report, from rows in the V2, V4, V6 and V7 tables; no InfluxDB. */
class RunReportGathererTest {
  static final Instant T0 = Instant.parse("2026-04-01T06:00:00Z");
  static final Instant END = T0.plus(Duration.ofDays(2));
  static final String RUN = "r1-20260401-060000";

  @TempDir Path dir;
  Store store;
  ReportRows rows;
  ManualClock clock = new ManualClock(END.plus(Duration.ofDays(1)));

  @BeforeEach
  void open() {
    store = Store.open(dir);
    rows = new ReportRows(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RunReport gather() {
    return new RunReportGatherer(store, null, reactor -> null, clock).gather(RUN, true);
  }

  @Test
  void metadataAndPhasesWithTheirTimes() {
    rows.run(RUN, "r1", T0, END, "COMPLETE");
    rows.event(RUN, T0, "PHASE_STARTED", 0, "attachment");
    rows.event(RUN, T0.plus(Duration.ofHours(24)), "PHASE_COMPLETED", 0, "attachment");
    rows.event(RUN, T0.plus(Duration.ofHours(24)), "PHASE_STARTED", 1, "maturation");
    // phase 1 never completes: it ends when phase 2 starts
    rows.event(RUN, T0.plus(Duration.ofHours(40)), "PHASE_STARTED", 2, "maintenance");
    RunReport r = gather();
    assertThat(r.run().recipeName()).isEqualTo("standard");
    assertThat(r.run().recipeVersion()).isEqualTo("2");
    assertThat(r.run().cellsSeeded()).isEqualTo(2e7);
    assertThat(r.duration()).isEqualTo(Duration.ofDays(2));
    assertThat(r.phases()).hasSize(3);
    assertThat(r.phases().get(0).duration()).isEqualTo(Duration.ofHours(24));
    assertThat(r.phases().get(1).duration()).isEqualTo(Duration.ofHours(16));
    assertThat(r.phases().get(2).endedAt()).isEqualTo(END); // the run's end closes the last phase
  }

  @Test
  void alarmsOfTheReactorInTheRunWindowWithTimeToAcknowledge() {
    rows.run(RUN, "r1", T0, END, "COMPLETE");
    // before the run: not counted
    rows.alarm("r1", T0.minusSeconds(10), "a", "HIGH", "NORMAL", "UNACK_ACTIVE", null);
    rows.alarm("r1", T0.minusSeconds(5), "a", "HIGH", "UNACK_ACTIVE", "ACK_ACTIVE", "op");
    rows.alarm("r1", T0.minusSeconds(4), "a", "HIGH", "ACK_ACTIVE", "NORMAL", null);
    // three HIGH annunciations: acked after 30 s, after 90 s (from RTN_UNACK), never
    rows.alarm("r1", T0.plusSeconds(100), "a", "HIGH", "NORMAL", "UNACK_ACTIVE", null);
    rows.alarm("r1", T0.plusSeconds(130), "a", "HIGH", "UNACK_ACTIVE", "ACK_ACTIVE", "op");
    rows.alarm("r1", T0.plusSeconds(200), "a", "HIGH", "ACK_ACTIVE", "NORMAL", null);
    rows.alarm("r1", T0.plusSeconds(1000), "b", "HIGH", "NORMAL", "UNACK_ACTIVE", null);
    rows.alarm("r1", T0.plusSeconds(1050), "b", "HIGH", "UNACK_ACTIVE", "RTN_UNACK", null);
    rows.alarm("r1", T0.plusSeconds(1090), "b", "HIGH", "RTN_UNACK", "NORMAL", "op");
    rows.alarm("r1", T0.plusSeconds(5000), "c", "HIGH", "NORMAL", "UNACK_ACTIVE", null);
    // a CRITICAL one acknowledged after the run ended still has its time
    rows.alarm("r1", END.minusSeconds(60), "d", "CRITICAL", "NORMAL", "UNACK_ACTIVE", null);
    rows.alarm("r1", END.plusSeconds(60), "d", "CRITICAL", "UNACK_ACTIVE", "ACK_ACTIVE", "op");
    // another reactor, and after the run: not counted
    rows.alarm("r2", T0.plusSeconds(100), "a", "HIGH", "NORMAL", "UNACK_ACTIVE", null);
    rows.alarm("r1", END.plusSeconds(10), "e", "LOW", "NORMAL", "UNACK_ACTIVE", null);
    RunReport r = gather();
    assertThat(r.alarms())
        .extracting(AlarmStats::priority)
        .containsExactly("CRITICAL", "HIGH", "MEDIUM", "LOW");
    AlarmStats high = r.alarms().get(1);
    assertThat(high.count()).isEqualTo(3);
    assertThat(high.acknowledged()).isEqualTo(2);
    assertThat(high.medianAckS()).isEqualTo(60.0);
    assertThat(high.maxAckS()).isEqualTo(90.0);
    AlarmStats critical = r.alarms().get(0);
    assertThat(critical.count()).isEqualTo(1);
    assertThat(critical.maxAckS()).isEqualTo(120.0);
    assertThat(r.alarms().get(3).count()).isZero();
  }

  @Test
  void labResultsAreTheLatestRevisionWithTheValueFirstEntered() {
    rows.run(RUN, "r1", T0, END, "COMPLETE");
    rows.sample("s1", 1, RUN, "albumin", 10, "ug/mL", 10, "ug/mL", T0.plusSeconds(3600), null);
    rows.sample("s2", 1, RUN, "urea", 4.3, "mg/dL", 43, "mg/L", T0.plusSeconds(7200), null);
    rows.sample("s2", 2, RUN, "urea", 3.4, "mg/dL", 34, "mg/L", T0.plusSeconds(7200), "typo");
    RunReport r = gather();
    assertThat(r.labResults()).extracting(LabResult::sampleId).containsExactly("s1", "s2");
    LabResult urea = r.labResults().get(1);
    assertThat(urea.revision()).isEqualTo(2);
    assertThat(urea.value()).isEqualTo(3.4);
    assertThat(urea.corrected()).isTrue();
    assertThat(urea.originalValue()).isEqualTo(4.3);
    assertThat(urea.correctionReason()).isEqualTo("typo");
    assertThat(r.labResults().get(0).originalValue()).isNull();
    // without InfluxDB the CSV still carries the lab results, one column per analyte
    assertThat(r.wide().columns()).containsExactly("lab_albumin_ug/mL", "lab_urea_mg/L");
    assertThat(r.wide().rows()).hasSize(2);
    assertThat(r.wide().rows().get(1).values()[1]).isEqualTo(34.0);
  }

  @Test
  void notesAndAuditRecordsOfTheRun() {
    rows.run(RUN, "r1", T0, END, "COMPLETE");
    rows.run("r2-20260401-060000", "r2", T0, END, "COMPLETE");
    rows.note(RUN, T0.plusSeconds(50), "alice", "medium changed");
    rows.note("r2-20260401-060000", T0.plusSeconds(50), "alice", "other run");
    rows.audit(T0, "RUN", RUN, null, null);
    rows.audit(T0.plusSeconds(1), "SETPOINT", RUN, null, null);
    rows.audit(T0.plusSeconds(2), "RUN", RUN, "Dave Engineer", "approved");
    rows.audit(T0.plusSeconds(3), "RUN", "r2-20260401-060000", "Dave Engineer", "approved");
    RunReport r = gather();
    assertThat(r.notes()).extracting(RunReport.Note::text).containsExactly("medium changed");
    assertThat(r.audit().countByAction()).containsEntry("RUN", 2L).containsEntry("SETPOINT", 1L);
    assertThat(r.audit().signed()).hasSize(1);
    assertThat(r.audit().signed().get(0).meaning()).isEqualTo("approved");
    assertThat(r.audit().signed().get(0).seq()).isEqualTo(3);
  }

  @Test
  void withoutInfluxTheTelemetrySectionsAreNamedUnavailable() {
    rows.run(RUN, "r1", T0, END, "COMPLETE");
    RunReport r = gather();
    assertThat(r.unavailableReason(RunReport.TIME_IN_BAND)).contains("no InfluxDB configured");
    assertThat(r.unavailableReason(RunReport.OUR_TREND)).contains("no InfluxDB configured");
    assertThat(r.unavailableReason(RunReport.WIDE_TABLE)).contains("no InfluxDB configured");
  }

  @Test
  void anInfluxThatDoesNotAnswerIsNamedAndTheRestOfTheReportIsMade() throws Exception {
    rows.run(RUN, "r1", T0, END, "COMPLETE");
    rows.note(RUN, T0.plusSeconds(50), "alice", "still here");
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    String url = "http://127.0.0.1:" + port;
    ReportTelemetry telemetry =
        new ReportTelemetry(
            new io.hepaloop.telemetry.InfluxHttp(
                io.hepaloop.telemetry.InfluxConfig.local(url, "hepaloop"), Duration.ofSeconds(10)));
    RunReport r =
        new RunReportGatherer(
                store,
                telemetry,
                reactor ->
                    io.hepaloop.profile.ProfileLoader.load(
                        Path.of("device-profiles/liver-perfusion-bioreactor.yaml")),
                clock)
            .gather(RUN, false);
    assertThat(r.unavailableReason(RunReport.TIME_IN_BAND))
        .isEqualTo("InfluxDB at " + url + " database hepaloop does not answer /ping");
    assertThat(r.unavailableReason(RunReport.OUR_TREND)).contains(url);
    assertThat(r.loops()).isEmpty();
    assertThat(r.notes()).hasSize(1);
  }

  @Test
  void anOpenRunEndsNowAndAnUnknownRunIsNamed() {
    rows.run(RUN, "r1", T0, null, "RUNNING");
    assertThat(gather().duration()).isEqualTo(Duration.between(T0, clock.now()));
    assertThatThrownBy(
            () ->
                new RunReportGatherer(store, null, reactor -> null, clock)
                    .gather("r9-20260101-000000", false))
        .isInstanceOf(UnknownRunException.class)
        .hasMessageContaining("no run 'r9-20260101-000000'");
  }
}
