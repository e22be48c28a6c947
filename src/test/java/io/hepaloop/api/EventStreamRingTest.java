package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resumption ring: what it replays, when it cannot, and ids past 2³¹ and after 30 days. */
class EventStreamRingTest {

  private static List<String> replay(EventStreamRing ring, long after) {
    List<String> out = new ArrayList<>();
    assertThat(ring.replayAfter(after, out::add)).isTrue();
    return out;
  }

  @Test
  void keepsTheNewestFramesAndReplaysWhatCameAfterAnId() {
    EventStreamRing ring = new EventStreamRing(4, 1);
    for (int i = 0; i < 10; i++) {
      ring.append(id -> "f" + id);
    }
    assertThat(ring.size()).isEqualTo(4);
    assertThat(ring.newestId()).isEqualTo(10);
    assertThat(replay(ring, 6)).containsExactly("f7", "f8", "f9", "f10");
    assertThat(replay(ring, 8)).containsExactly("f9", "f10");
    assertThat(replay(ring, 10)).isEmpty();
    List<String> none = new ArrayList<>();
    assertThat(ring.replayAfter(5, none::add)).as("f6 was overwritten").isFalse();
    assertThat(ring.replayAfter(11, none::add)).as("an id never handed out").isFalse();
    assertThat(none).isEmpty();
  }

  @Test
  void anEmptyRingResumesOnlyFromJustBeforeItsFirstId() {
    EventStreamRing ring = new EventStreamRing(4, 100);
    assertThat(replay(ring, 99)).isEmpty();
    assertThat(ring.replayAfter(50, s -> {})).isFalse();
  }

  @Test
  void idsRisePastIntegerMaxValueWithoutWrapping() {
    long first = Integer.MAX_VALUE - 2L;
    EventStreamRing ring = new EventStreamRing(8, first);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ring.append(
          id -> {
            ids.add(id);
            return "f" + id;
          });
    }
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(ids.get(5)).isEqualTo(Integer.MAX_VALUE + 3L);
    assertThat(replay(ring, Integer.MAX_VALUE))
        .containsExactly("f2147483648", "f2147483649", "f2147483650");
  }

  @Test
  void afterThirtyDaysOfAPlantAt2000EventsPerSecondIdsStillRiseAndResume() {
    // ids start at the wall clock in microseconds; 30 days at 2000 events/s adds 5.2e9
    long start = 1_796_000_000_000L * 1000;
    long day30 = start + 30L * 86_400 * 2000;
    EventStreamRing ring = new EventStreamRing(16, day30);
    for (int i = 0; i < 40; i++) {
      ring.append(id -> Long.toString(id));
    }
    assertThat(ring.newestId()).isEqualTo(day30 + 39).isPositive();
    assertThat(replay(ring, day30 + 37))
        .containsExactly(Long.toString(day30 + 38), Long.toString(day30 + 39));
    assertThat(ring.replayAfter(start, s -> {})).as("from the first day: reset").isFalse();
  }
}
