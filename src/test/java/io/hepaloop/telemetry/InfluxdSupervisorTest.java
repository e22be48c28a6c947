package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfluxdSupervisorTest {
  @Test
  void restartsBackOffFromOneSecondToThirtyWhileInfluxdKeepsDyingYoung() {
    List<Long> delays = new ArrayList<>();
    long d = 0;
    for (int i = 0; i < 8; i++) {
      d = InfluxdSupervisor.nextDelayMs(d, 5_000);
      delays.add(d);
    }
    assertThat(delays)
        .containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
  }

  @Test
  void aRunOfAMinuteOrMoreStartsTheBackoffAgain() {
    assertThat(InfluxdSupervisor.nextDelayMs(30_000, InfluxdSupervisor.STABLE_AFTER_MS))
        .isEqualTo(1_000);
    assertThat(InfluxdSupervisor.nextDelayMs(30_000, InfluxdSupervisor.STABLE_AFTER_MS - 1))
        .isEqualTo(30_000);
  }

  @Test
  void thirtyDaysOfFailedRestartsKeepTheDelayAtItsCap() {
    long d = 0;
    long totalMs = 0;
    while (totalMs < 30L * 24 * 3600 * 1000) { // every restart fails, for 30 days
      d = InfluxdSupervisor.nextDelayMs(d, 0);
      assertThat(d).isBetween(1_000L, 30_000L);
      totalMs += d;
    }
    assertThat(d).isEqualTo(30_000);
  }
}
