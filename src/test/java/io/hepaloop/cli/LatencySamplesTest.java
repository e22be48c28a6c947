package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LatencySamplesTest {
  @Test
  void percentilesAreNearestRankInMillisecondsAndGrowPastTheInitialCapacity() {
    LatencySamples l = new LatencySamples();
    assertThat(l.percentileMs(50)).isNaN();
    Instant src = Instant.parse("2026-11-25T12:00:00Z");
    for (int ms = 100_000; ms >= 1; ms--) { // 100,000 samples of 1..100,000 ms, out of order
      l.add(src, src.plusMillis(ms));
    }
    assertThat(l.percentileMs(50)).isEqualTo(50_000.0);
    assertThat(l.percentileMs(99)).isEqualTo(99_000.0);
    assertThat(l.percentileMs(100)).isEqualTo(100_000.0);
    assertThat(l.percentileMs(0)).isEqualTo(1.0);
  }
}
