package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalInfluxdReaperTest {
  @Test
  void theReaperLetsAProcessThatStopsInTimeExitOnItsOwn() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "sleep 0.2; exit 7").start();
    LocalInfluxd.reaper(p, Duration.ofSeconds(10)).run();
    assertThat(p.isAlive()).isFalse();
    assertThat(p.exitValue()).as("exited by itself, not killed").isEqualTo(7);
  }

  @Test
  void theReaperStopsAProcessThatOutlivesTheGrace() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    LocalInfluxd.reaper(p, Duration.ofMillis(200)).run();
    assertThat(p.isAlive()).isFalse();
    assertThat(p.exitValue()).as("terminated by a signal").isNotZero();
  }
}
