package io.hepaloop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.testing.ThreadDumpOnFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarms benchmark small: 4 simulated reactors on one shared endpoint, the whole controller
 * side, and the SSE client over HTTP with an API token. Every crossing the bench saw on the bus
 * must come back as exactly one activation on the stream, after the device timestamp of the sample
 * that crossed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class AlarmBenchIT {
  static final Path PROFILE = Path.of("device-profiles/liver-perfusion-bioreactor.yaml");

  @Test
  void everyCrossingComesBackAsExactlyOneActivationOnTheStream(@TempDir Path work)
      throws Exception {
    AlarmBench.Result r =
        AlarmBench.run(
            new AlarmBench.Options(
                PROFILE,
                4,
                true,
                Duration.ofSeconds(2),
                Duration.ofSeconds(6),
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                work,
                line -> {}));

    // 4 reactors x 2 bench alarms, crossed once per 2 s: about 24 in the 6 s window.
    assertThat(r.pairs()).hasSizeGreaterThanOrEqualTo(8);
    assertThat((long) r.pairs().size()).isEqualTo(r.crossingsMeasured());
    assertThat(r.missed()).isZero();
    assertThat(r.duplicates()).isZero();
    assertThat(r.activationsTotal()).isEqualTo(r.crossingsTotal());
    assertThat(r.streamReconnects()).isZero();
    assertThat(r.pairs())
        .extracting(AlarmLedger.Pair::alarmId)
        .containsAll(BenchAlarm.DEFAULT.stream().map(BenchAlarm::id).toList());
    assertThat(r.pairs())
        .extracting(AlarmLedger.Pair::reactorId)
        .contains("r01", "r02", "r03", "r04");
    assertThat(r.pairs())
        .allSatisfy(
            p -> {
              // onBus and onStream are taken on different threads: the stream may see the
              // activation before the bench's own bus consumer sees the sample, so only the
              // device timestamp comes before both.
              assertThat(p.onBus()).isAfterOrEqualTo(p.source());
              assertThat(p.onStream()).isAfterOrEqualTo(p.source());
            });
    assertThat(r.framesInWindow()).containsKeys("alarm", "sample", "loop");
  }
}
