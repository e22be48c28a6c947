package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.core.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

/**
 * Beats through a fake session whose writes are answered late (after several timer ticks): never
 * two writes in flight, the beats that fell due meanwhile skipped and counted, and the device sees
 * each value followed by the next one, across the type's wrap.
 */
class HeartbeatSequenceTest {

  /** A session whose writes the test answers when it likes; it records what reached the device. */
  static final class LateSession implements HeartbeatSequence.Writer {
    final List<CompletableFuture<StatusCode>> pending = new ArrayList<>();
    final List<Long> sent = new ArrayList<>();
    final List<Long> deviceSaw = new ArrayList<>();
    private final DataType type;
    int inFlight;
    int maxInFlight;

    LateSession(DataType type) {
      this.type = type;
    }

    @Override
    public CompletionStage<StatusCode> write(Variant value) {
      long v = DataType.heartbeatOf(value.getValue()).orElseThrow();
      sent.add(v);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      CompletableFuture<StatusCode> answer = new CompletableFuture<>();
      pending.add(answer);
      answer.whenComplete(
          (sc, ex) -> {
            inFlight--;
            if (ex == null && sc.isGood()) {
              deviceSaw.add(v);
            }
          });
      return answer;
    }

    void answer(StatusCode sc) {
      pending.remove(0).complete(sc);
    }

    void fail(Throwable t) {
      pending.remove(0).completeExceptionally(t);
    }
  }

  /** The link's context: runs at once, on the caller's thread (the fake answers synchronously). */
  private static final Executor CONTEXT = Runnable::run;

  private final List<HeartbeatSequence.Outcome> outcomes = new ArrayList<>();

  private boolean tick(HeartbeatSequence seq, DataType type, LateSession s) {
    return seq.beat(type, s, CONTEXT, outcomes::add);
  }

  @Test
  void aBeatDueWhileTheWriteIsUnansweredIsSkippedAndTheValuesStayInOrderAcrossTheWrap() {
    DataType type = DataType.UINT16;
    HeartbeatSequence seq = new HeartbeatSequence(65_533);
    LateSession s = new LateSession(type);
    int sent = 0;
    for (int t = 0; t < 40; t++) {
      if (tick(seq, type, s)) {
        sent++;
      }
      // Every write is answered 2.5 ticks late: two ticks after it was sent fall due meanwhile.
      if (t % 3 == 2 && !s.pending.isEmpty()) {
        s.answer(StatusCode.GOOD);
      }
    }
    assertThat(s.maxInFlight).as("writes in flight at once").isEqualTo(1);
    assertThat(sent).isEqualTo(14);
    assertThat(seq.skipped()).isEqualTo(40 - 14);
    assertThat(s.sent).startsWith(65_534L, 65_535L, 0L, 1L, 2L);
    assertSuccessive(type, s.deviceSaw);
    assertThat(outcomes).allMatch(HeartbeatSequence.Outcome::accepted);
  }

  @Test
  void afterAFailedOrUnansweredWriteTheNextBeatFollowsTheLastValueTheDeviceAccepted() {
    DataType type = DataType.INT16;
    HeartbeatSequence seq = new HeartbeatSequence(32_766);
    LateSession s = new LateSession(type);
    tick(seq, type, s); // 32767
    assertThat(tick(seq, type, s)).as("skipped: 32767 unanswered").isFalse();
    s.answer(StatusCode.GOOD);
    tick(seq, type, s); // 0 (Int16 counts within its positive range)
    s.answer(new StatusCode(StatusCodes.Bad_NoCommunication));
    tick(seq, type, s); // 0 again: the device did not take it
    s.fail(new RuntimeException("request timed out"));
    tick(seq, type, s); // 0 again
    s.answer(StatusCode.GOOD);
    tick(seq, type, s); // 1
    s.answer(StatusCode.GOOD);

    assertThat(s.sent).containsExactly(32_767L, 0L, 0L, 0L, 1L);
    assertThat(s.deviceSaw).containsExactly(32_767L, 0L, 1L);
    assertThat(seq.skipped()).isEqualTo(1);
    assertThat(seq.written()).isEqualTo(3);
    assertThat(s.maxInFlight).isEqualTo(1);
    assertThat(outcomes.get(1).status().isBad()).isTrue();
    assertThat(outcomes.get(2).failure()).hasMessage("request timed out");
  }

  @Test
  void aWriterThatThrowsEndsTheBeatAsFailedAndFreesTheNext() {
    DataType type = DataType.UINT32;
    HeartbeatSequence seq = new HeartbeatSequence(7);
    assertThat(
            seq.beat(
                type,
                v -> {
                  throw new IllegalStateException("client closed");
                },
                CONTEXT,
                outcomes::add))
        .isTrue();
    assertThat(seq.inFlight()).isFalse();
    assertThat(outcomes.get(0).accepted()).isFalse();
    LateSession s = new LateSession(type);
    tick(seq, type, s);
    assertThat(s.sent).containsExactly(8L);
  }

  /** Each value the device saw is the one after the value before it (mod the type's wrap). */
  static void assertSuccessive(DataType type, List<Long> values) {
    for (int i = 1; i < values.size(); i++) {
      assertThat(values.get(i))
          .as("value %d of %s", i, values)
          .isEqualTo(type.nextHeartbeat(values.get(i - 1)));
    }
  }
}
