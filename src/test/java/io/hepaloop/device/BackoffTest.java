package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void theDefaultScheduleDoublesFrom200MsAndNeverWaitsMoreThanOneSecond() {
    Backoff b = new Backoff(200, 1000, 2.0, 0.0);
    assertThat(IntStream.range(0, 6).mapToLong(b::nominalDelayMs).toArray())
        .containsExactly(200, 400, 800, 1000, 1000, 1000);
  }

  @Test
  void theDefaultCapKeepsAReturningDeviceWithinTwoSecondsOfBeingBack() {
    // The promise of the link: samples again within 2 s of the device being back. A retry comes at
    // most
    // maxMs (+ jitter) after the device returns; the rest of the budget is for the handshake.
    long worst = Math.round(Backoff.DEFAULT.maxMs() * (1 + Backoff.DEFAULT.jitterFraction()));
    assertThat(worst).isLessThanOrEqualTo(1100);
  }

  @Test
  void jitterStaysWithinItsFraction() {
    Backoff b = new Backoff(1000, 1000, 1.0, 0.1);
    assertThat(b.delayMs(0, () -> 0.0)).isEqualTo(900);
    assertThat(b.delayMs(0, () -> 0.999999)).isEqualTo(1100);
  }

  @Test
  void aHugeAttemptNumberDoesNotOverflowTheCap() {
    assertThat(Backoff.DEFAULT.nominalDelayMs(Integer.MAX_VALUE)).isEqualTo(1000);
  }

  @Test
  void nonsenseSettingsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> new Backoff(500, 100, 2, 0)).hasMessageContaining("maxMs");
    assertThatThrownBy(() -> new Backoff(100, 500, 0.5, 0)).hasMessageContaining("multiplier");
    assertThatThrownBy(() -> new Backoff(100, 500, 2, 1.0)).hasMessageContaining("jitterFraction");
  }
}
