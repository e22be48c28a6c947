package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The age of the oldest undelivered telemetry point, from spool sequence numbers. */
class TelemetryBacklogTest {
  static final long S = 1_000_000_000L;

  @Test
  void aWorkingInfluxKeepsTheAgeAtOneBatchAndAnOutageMakesItGrow() {
    TelemetryBacklog b = new TelemetryBacklog();
    // working: 100 points a second appended, each second's points delivered a second later
    for (int t = 0; t < 60; t++) {
      long next = 100L * (t + 1);
      assertThat(b.sample(t * S, next, 100)).isLessThanOrEqualTo(1.0); // this second's wait
    }
    // outage from t = 60 s: appended, nothing delivered
    long delivered = 6000 - 100;
    double age = 0;
    for (int t = 60; t < 660; t++) {
      long next = 100L * (t + 1);
      age = b.sample(t * S, next, next - delivered);
    }
    assertThat(age).isEqualTo(600.0); // the first undelivered point was noted at t = 59 s
    // delivered through the points of t = 300 s: the oldest waiting was appended at t = 301 s
    assertThat(b.sample(660 * S, 66_100, 66_100 - 30_100)).isEqualTo(359.0);
    assertThat(b.sample(661 * S, 66_200, 0)).isZero();
  }

  @Test
  void thirtyDaysOfOutageHoldBoundedMemoryAndNeverOverstateTheAge() {
    TelemetryBacklog b = new TelemetryBacklog();
    long days30 = 30L * 24 * 3600;
    double age = 0;
    for (long t = 0; t <= days30; t += 10) {
      long next = 10 * (t + 1);
      age = b.sample(t * S, next, next); // nothing ever delivered
      assertThat(b.notes()).isLessThanOrEqualTo(TelemetryBacklog.MAX_NOTES + 1);
    }
    assertThat(age).isEqualTo((double) days30);
    // now half is delivered: the age may be coarser, but never more than the truth
    long next = 10 * (days30 + 1);
    double half = b.sample(days30 * S, next, next / 2);
    double truth = days30 - Math.floorDiv(next - next / 2, 10); // appended at oldest / 10 s
    assertThat(half).isLessThanOrEqualTo(truth).isGreaterThan(truth - days30 / 1000.0);
  }

  @Test
  void pointsWaitingFromBeforeARestartCountFromTheFirstSample() {
    TelemetryBacklog b = new TelemetryBacklog();
    assertThat(b.sample(5 * S, 1000, 400)).isZero();
    assertThat(b.sample(65 * S, 1000, 400)).isEqualTo(60.0);
  }
}
