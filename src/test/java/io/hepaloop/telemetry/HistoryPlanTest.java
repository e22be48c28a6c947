package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.telemetry.HistoryPlan.Part;
import io.hepaloop.telemetry.HistoryPlan.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Verifies which retention policy each part of a history range is read from, and in what buckets.
 */
class HistoryPlanTest {
  static final Instant NOW = Instant.parse("2026-12-02T10:00:30.250Z");
  static final Duration RAW = Duration.ofDays(30);

  @Test
  void anHourInSecondBucketsIsReadFromRawAlignedOnItsStart() {
    Instant from = NOW.minus(Duration.ofHours(1));
    HistoryPlan p = HistoryPlan.of(from, NOW, 1500, NOW, RAW);
    assertThat(p.bucketMs()).isEqualTo(2400);
    assertThat(p.parts())
        .containsExactly(
            new Part(Source.RAW, from, NOW, 2400, Math.floorMod(from.toEpochMilli(), 2400)));
  }

  @Test
  void aWeekInBucketsOfMinutesIsReadFromTheRollupExceptItsUnsettledEnd() {
    Instant from = NOW.minus(Duration.ofDays(7));
    HistoryPlan p = HistoryPlan.of(from, NOW, 1500, NOW, RAW);
    // 403.2 s rounded up to whole minutes
    assertThat(p.bucketMs()).isEqualTo(420_000);
    assertThat(p.parts()).hasSize(2);
    Part rollup = p.parts().get(0);
    Part raw = p.parts().get(1);
    assertThat(rollup.source()).isEqualTo(Source.ROLLUP_1M);
    assertThat(rollup.from()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(raw.source()).isEqualTo(Source.RAW);
    assertThat(raw.from()).isEqualTo(rollup.to());
    assertThat(raw.to()).isEqualTo(NOW);
    // the seam is a bucket boundary at least 10 minutes back
    long seam = rollup.to().toEpochMilli();
    assertThat(Math.floorMod(seam - rollup.from().toEpochMilli(), 420_000L)).isZero();
    assertThat(seam).isLessThanOrEqualTo(NOW.minus(HistoryPlan.ROLLUP_SETTLE).toEpochMilli());
    assertThat(seam).isGreaterThan(NOW.minus(HistoryPlan.ROLLUP_SETTLE).toEpochMilli() - 420_000);
    assertThat(rollup.offsetMs()).isEqualTo(raw.offsetMs());
    long buckets = (NOW.toEpochMilli() - rollup.from().toEpochMilli() + 419_999) / 420_000;
    assertThat(buckets).isLessThanOrEqualTo(1500);
  }

  @Test
  void aRangeBeyondTheRawRetentionTakesItsOldPartFromTheRollupAtOneMinute() {
    Instant from = NOW.minus(Duration.ofDays(30)).minus(Duration.ofHours(2));
    Instant to = NOW.minus(Duration.ofDays(30)).plus(Duration.ofHours(2));
    HistoryPlan p = HistoryPlan.of(from, to, 1500, NOW, RAW);
    assertThat(p.bucketMs()).isEqualTo(9600);
    Part rollup = p.parts().get(0);
    Part raw = p.parts().get(1);
    assertThat(rollup)
        .isEqualTo(
            new Part(
                Source.ROLLUP_1M,
                Instant.parse("2026-11-02T08:00:00Z"),
                Instant.parse("2026-11-02T10:01:00Z"),
                60_000,
                0));
    assertThat(raw.from()).isEqualTo(rollup.to());
    assertThat(raw.to()).isEqualTo(to);
    assertThat(raw.bucketMs()).isEqualTo(9600);
    assertThat(Math.floorMod(raw.from().toEpochMilli() - raw.offsetMs(), 9600L)).isZero();
  }

  @Test
  void aRangeWhollyBeyondTheRawRetentionIsReadFromTheRollupOnly() {
    Instant from = NOW.minus(Duration.ofDays(40));
    HistoryPlan p = HistoryPlan.of(from, from.plus(Duration.ofHours(1)), 1500, NOW, RAW);
    assertThat(p.parts()).extracting(Part::source).containsExactly(Source.ROLLUP_1M);
    assertThat(p.bucketMs()).isEqualTo(60_000);
  }

  @Test
  void rawKeptForeverIsReadForFineBucketsWhateverTheAge() {
    Instant from = NOW.minus(Duration.ofDays(300));
    HistoryPlan p = HistoryPlan.of(from, from.plus(Duration.ofHours(1)), 1500, NOW, null);
    assertThat(p.parts()).extracting(Part::source).containsExactly(Source.RAW);
  }

  @Test
  void minuteBucketsOfTheLastMinutesAreReadFromRaw() {
    Instant from = NOW.minus(Duration.ofMinutes(8));
    HistoryPlan p = HistoryPlan.of(from, NOW, 5, NOW, RAW);
    assertThat(p.parts()).extracting(Part::source).containsExactly(Source.RAW);
    assertThat(p.bucketMs()).isEqualTo(120_000);
  }

  @Test
  void retentionDurationsAreReadAsInfluxQlWritesThem() {
    assertThat(HistoryPlan.retention("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(HistoryPlan.retention("720h0m0s")).isEqualTo(Duration.ofDays(30));
    assertThat(HistoryPlan.retention("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(HistoryPlan.retention("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(HistoryPlan.retention("INF")).isNull();
    assertThat(HistoryPlan.retention("0s")).isNull();
    assertThatThrownBy(() -> HistoryPlan.retention("30 days"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("30 days");
  }

  @Test
  void partsAdjoinWithoutOverlapForManyRanges() {
    for (long rangeS : List.of(60L, 3600L, 86_400L, 7 * 86_400L, 45 * 86_400L, 400 * 86_400L)) {
      for (long agoS : List.of(0L, 600L, 29 * 86_400L, 31 * 86_400L)) {
        Instant to = NOW.minusSeconds(agoS);
        Instant from = to.minusSeconds(rangeS);
        HistoryPlan p = HistoryPlan.of(from, to, 1500, NOW, RAW);
        assertThat(p.parts()).isNotEmpty();
        assertThat(p.parts().get(0).from()).isBeforeOrEqualTo(from);
        assertThat(p.parts().get(p.parts().size() - 1).to()).isEqualTo(to);
        for (int i = 1; i < p.parts().size(); i++) {
          assertThat(p.parts().get(i).from()).isEqualTo(p.parts().get(i - 1).to());
        }
        for (Part part : p.parts()) {
          assertThat(part.from()).isBefore(part.to());
          long buckets =
              (part.to().toEpochMilli() - part.from().toEpochMilli() + part.bucketMs() - 1)
                  / part.bucketMs();
          assertThat(buckets).as("%s", p).isLessThanOrEqualTo(1501);
        }
      }
    }
  }
}
