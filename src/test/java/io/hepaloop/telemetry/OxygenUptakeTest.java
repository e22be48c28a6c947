package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OxygenUptakeTest {
  private static final Quality G = Quality.GOOD;

  @Test
  void theWorkedExampleOfDomainNotesNeedsA198MmHgDropAtOneMlPerMin() {
    // 10^7 rat hepatocytes consume ≈ 4.3 nmol/s ≈ 258 nmol/min; Q = 1 mL/min, α = 1.3 → 198 mmHg
    // drop
    OxygenUptake.Result r = OxygenUptake.compute(1.0, G, 248.0, G, 50.0, G, 1.3, 1e7);
    assertThat(r.ourNmolPerMin()).isCloseTo(257.4, within(1e-9));
    assertThat(r.ourNmolPerMin()).isCloseTo(4.3 * 60, within(1.0));
    assertThat(r.ourPerMillionCellsNmolPerMin()).isCloseTo(25.74, within(1e-9));
    assertThat(r.quality()).isEqualTo(Quality.GOOD);
  }

  @Test
  void twoMlPerMinAtA100MmHgDropCoverTheSameConstruct() {
    assertThat(OxygenUptake.ourNmolPerMin(2.0, 1.3, 130.0, 30.0))
        .isCloseTo(260.0, within(1e-9))
        .isGreaterThan(258.0);
  }

  @Test
  void perMillionCellsIsUnknownWhenTheCellCountIsUnknown() {
    assertThat(
            OxygenUptake.compute(1.0, G, 100, G, 50, G, 1.3, Double.NaN)
                .ourPerMillionCellsNmolPerMin())
        .isNaN();
    assertThat(OxygenUptake.compute(1.0, G, 100, G, 50, G, 1.3, 0).ourPerMillionCellsNmolPerMin())
        .isNaN();
  }

  @Test
  void oneBadInputMakesTheResultBad() {
    assertThat(OxygenUptake.compute(1.0, G, 100, Quality.BAD, 50, G, 1.3, 1e7).quality())
        .isEqualTo(Quality.BAD);
    assertThat(OxygenUptake.compute(1.0, Quality.UNCERTAIN, 100, G, 50, G, 1.3, 1e7).quality())
        .isEqualTo(Quality.UNCERTAIN);
    assertThat(OxygenUptake.compute(Double.NaN, G, 100, G, 50, G, 1.3, 1e7).quality())
        .isEqualTo(Quality.BAD);
  }

  @Test
  void theTrackerDerivesOncePerIntervalAndMarksStaleInputsBad() {
    OurTracker t = new OurTracker(1.3, Duration.ofSeconds(1), Duration.ofSeconds(10));
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(t.accept(new Sample("r1", "flow", 1.0, "mL/min", t0, G))).isNull();
    assertThat(t.accept(new Sample("r1", "do_inlet", 248.0, "mmHg", t0, G))).isNull();
    OurTracker.Derived d = t.accept(new Sample("r1", "do_outlet", 50.0, "mmHg", t0, G));
    assertThat(d.result().ourNmolPerMin()).isCloseTo(257.4, within(1e-9));
    assertThat(t.accept(new Sample("r1", "flow", 1.0, "mL/min", t0.plusMillis(500), G)))
        .as("within the interval")
        .isNull();
    OurTracker.Derived stale =
        t.accept(new Sample("r1", "do_outlet", 50.0, "mmHg", t0.plusSeconds(2), Quality.BAD, true));
    assertThat(stale.result().quality()).isEqualTo(Quality.BAD);
    assertThat(t.accept(new Sample("r1", "temperature", 37.0, "°C", t0.plusSeconds(5), G)))
        .isNull();
  }
}
