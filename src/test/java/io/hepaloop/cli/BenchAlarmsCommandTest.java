package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.bench.AlarmBench;
import io.hepaloop.bench.AlarmLedger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchAlarmsCommandTest {
  static final Instant T0 = Instant.parse("2026-12-02T00:00:00Z");

  /** {@code n} pairs: the i-th (1..n) takes i ms to the bus and i more to the stream. */
  static List<AlarmLedger.Pair> pairs(int n, long stepMs) {
    List<AlarmLedger.Pair> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Instant source = T0.plusSeconds(i);
      out.add(
          new AlarmLedger.Pair(
              "r01",
              "bench_pressure_high",
              source,
              source.plusMillis(i * stepMs),
              source.plusMillis(2 * i * stepMs)));
    }
    return out;
  }

  static AlarmBench.Result result(List<AlarmLedger.Pair> pairs, long missed, int reactors) {
    return new AlarmBench.Result(
        reactors,
        false,
        10,
        20,
        pairs,
        pairs.size(),
        pairs.size() + missed,
        pairs.size(),
        missed,
        0,
        0,
        Map.of("alarm", 400L, "sample", 600L),
        50,
        100 << 20,
        50 << 20,
        1000 << 20,
        0);
  }

  static String print(AlarmBench.Result r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BenchAlarmsCommand.print(r, 5, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsTheThreeLatenciesTheRateAndTheGoalMet() {
    String text = print(result(pairs(100, 1), 0, 64));

    assertThat(text)
        .contains("latency source→SSE  : p50 100.0 ms, p95 190.0 ms, p99 198.0 ms, max 200.0 ms")
        .contains("baseline source→bus : p50 50.0 ms, p95 95.0 ms, p99 99.0 ms, max 100.0 ms")
        .contains("alarm path bus→SSE  : p50 50.0 ms, p95 95.0 ms, p99 99.0 ms")
        .contains("50 events/s (alarm 20.0/s, sample 30.0/s)")
        .contains("0 crossings without activation, 0 activations without crossing (none missed)")
        .contains("p99 < 250 ms at 64 reactors: met (p99 198.0 ms at 64 reactors)");
  }

  @Test
  void aSlowP99OrALostAlarmIsSaidPlainly() {
    String text = print(result(pairs(100, 2), 3, 64));

    assertThat(text)
        .contains("3 crossings without activation")
        .contains("ALARMS LOST OR INVENTED")
        .contains("NOT met (p99 396.0 ms at 64 reactors)");
  }

  @Test
  void aSpikeLongerThanHalfThePeriodIsRefusedBeforeAnythingStarts() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit =
          HepaLoop.commandLine()
              .execute("bench", "alarms", "--period-ms", "2000", "--spike-ms", "1500");
    } finally {
      System.setErr(before);
    }

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("at most half the period")
        .contains("spike 1500 ms, period 2000 ms");
  }
}
