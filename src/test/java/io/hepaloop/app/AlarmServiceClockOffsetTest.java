package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmKind;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.telemetry.Spool;
import io.hepaloop.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Verifies that the alarm service judges staleness on arrival with the link's {@code stale} flag,
 * and says a device clock that is off once per crossing as an event (no storm): on a real event bus
 * with a {@link ManualClock}, samples published as the device link does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlarmServiceClockOffsetTest {
  static final String R = AlarmServiceTest.R;
  static final String ALARM = "do_outlet_stale";

  final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T00:00:00Z"));
  final List<AlarmTransition> transitions = new CopyOnWriteArrayList<>();
  final List<HepaEvent> events = new CopyOnWriteArrayList<>();
  Vertx vertx;
  AlarmService service;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    var bus = vertx.eventBus();
    bus.<AlarmTransition>localConsumer(Addresses.ALARM_EVENTS, m -> transitions.add(m.body()));
    bus.<HepaEvent>localConsumer(Addresses.EVENTS, m -> events.add(m.body()));
    AlarmDefinition stale =
        new AlarmDefinition(
            ALARM,
            R,
            AlarmKind.BAD_QUALITY_OR_STALE,
            "do_outlet",
            30,
            0,
            0,
            0,
            AlarmPriority.HIGH,
            false,
            0,
            null,
            AlarmServiceTest.WHY);
    service =
        new AlarmService(
            vertx,
            Map.of(R, 1.3),
            AlarmService.Setup.of(List.of(stale)).withTick(Duration.ofHours(1)),
            clock,
            new SimpleMeterRegistry(),
            () -> new Spool.Backlog(0, 0));
    vertx.deployVerticle(service).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aDeviceClockAnHourAheadIsOneEventAndItsSilenceStillGoesStale() throws Exception {
    for (int i = 0; i < 600; i++) {
      publish(new Sample(R, "do_outlet", 40, "mmHg", clock.now().plusSeconds(3600), Quality.GOOD));
      clock.advanceSeconds(1);
      get(service.tickNow());
    }
    assertThat(state()).isEqualTo(AlarmState.NORMAL);
    List<HepaEvent> said = clockEvents();
    assertThat(said).as("once, not per sample").hasSize(1);
    assertThat(said.get(0).severity()).isEqualTo("warning");
    assertThat(said.get(0).type()).isEqualTo("alarm");
    assertThat(said.get(0).source()).isEqualTo(ALARM);
    assertThat(said.get(0).message()).contains("3600.0 s ahead of the controller's", "do_outlet");

    // The device stops sending: stale on the controller's clock.
    clock.advanceSeconds(31);
    get(service.tickNow());
    assertThat(state()).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(transitions.get(transitions.size() - 1).message())
        .contains("device clock 3600.0 s ahead");
  }

  @Test
  void theLinksStaleRepublicationActivatesAndDoesNotMakeTheValueYounger() throws Exception {
    publish(new Sample(R, "do_outlet", 40, "mmHg", clock.now(), Quality.GOOD));
    clock.advanceSeconds(10);
    // link lost: the last value again, Bad and stale, its device time kept
    publish(
        new Sample(R, "do_outlet", 40, "mmHg", clock.now().minusSeconds(10), Quality.BAD, true));
    assertThat(state()).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(transitions.get(transitions.size() - 1).value())
        .as("age since the last fresh sample")
        .isEqualTo(10.0);
    assertThat(clockEvents()).isEmpty();
  }

  private List<HepaEvent> clockEvents() {
    return events.stream().filter(e -> e.message().contains("device clock")).toList();
  }

  private void publish(Sample s) throws Exception {
    vertx.eventBus().publish(Addresses.samples(R), new SampleBatch(R, List.of(s)));
    get(service.inputs()); // one context, in order: the sample has been handled
  }

  private AlarmState state() throws Exception {
    return get(service.alarms()).stream()
        .filter(a -> a.definition().id().equals(ALARM))
        .findFirst()
        .orElseThrow()
        .state();
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }
}
