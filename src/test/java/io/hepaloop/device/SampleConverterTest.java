package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.core.Quality;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import java.nio.file.Path;
import java.time.Instant;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

class SampleConverterTest {
  private static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  private static final Instant DEVICE_TIME = Instant.parse("2026-03-01T10:00:00.250Z");
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:01Z");

  private static DataValue dv(Object value, StatusCode sc, Instant source) {
    return new DataValue(
        new Variant(value), sc, source == null ? null : new DateTime(source), null);
  }

  @Test
  void aScaledIntegerPressureArrivesInMmHgWithTheDeviceTimestamp() {
    Sample s =
        SampleConverter.toSample(
            "r1",
            PROFILE.requireSignal("pressure_inlet"),
            dv(4250, StatusCode.GOOD, DEVICE_TIME),
            NOW);
    assertThat(s.value()).isCloseTo(42.5, within(1e-9));
    assertThat(s.unit()).isEqualTo("mmHg");
    assertThat(s.sourceTime()).isEqualTo(DEVICE_TIME);
    assertThat(s.quality()).isEqualTo(Quality.GOOD);
    assertThat(s.usable()).isTrue();
    assertThat(s.reactorId()).isEqualTo("r1");
    assertThat(s.signalId()).isEqualTo("pressure_inlet");
  }

  @Test
  void anUnscaledDoubleIsPassedThroughWithItsUnit() {
    Sample s =
        SampleConverter.toSample(
            "r1",
            PROFILE.requireSignal("temperature"),
            dv(37.02, StatusCode.GOOD, DEVICE_TIME),
            NOW);
    assertThat(s.value()).isEqualTo(37.02);
    assertThat(s.unit()).isEqualTo("°C");
  }

  @Test
  void aBadStatusMakesTheSampleBadAndUnusableButKeepsTheValue() {
    Sample s =
        SampleConverter.toSample(
            "r1",
            PROFILE.requireSignal("do_outlet"),
            dv(30.0, new StatusCode(StatusCodes.Bad_SensorFailure), DEVICE_TIME),
            NOW);
    assertThat(s.quality()).isEqualTo(Quality.BAD);
    assertThat(s.usable()).isFalse();
    assertThat(s.value()).isEqualTo(30.0);
  }

  @Test
  void aGoodStatusWithNoValueIsNotAUsableMeasurement() {
    Sample s =
        SampleConverter.toSample(
            "r1", PROFILE.requireSignal("flow"), new DataValue(Variant.NULL_VALUE), NOW);
    assertThat(s.value()).isNaN();
    assertThat(s.quality()).isEqualTo(Quality.BAD);
  }

  @Test
  void withoutASourceTimestampTheServerTimeThenTheControllerClockIsUsed() {
    Instant server = Instant.parse("2026-03-01T10:00:00.500Z");
    DataValue serverOnly =
        new DataValue(new Variant(1.0), StatusCode.GOOD, null, new DateTime(server));
    assertThat(
            SampleConverter.toSample("r1", PROFILE.requireSignal("flow"), serverOnly, NOW)
                .sourceTime())
        .isEqualTo(server);
    assertThat(
            SampleConverter.toSample(
                    "r1", PROFILE.requireSignal("flow"), dv(1.0, StatusCode.GOOD, null), NOW)
                .sourceTime())
        .isEqualTo(NOW);
  }

  @Test
  void aStaleCopyIsBadAndStaleWithTheOriginalDeviceTime() {
    Sample fresh = new Sample("r1", "flow", 1.2, "mL/min", DEVICE_TIME, Quality.GOOD);
    Sample stale = SampleConverter.stale(fresh);
    assertThat(stale.quality()).isEqualTo(Quality.BAD);
    assertThat(stale.stale()).isTrue();
    assertThat(stale.value()).isEqualTo(1.2);
    assertThat(stale.sourceTime()).isEqualTo(DEVICE_TIME);
    assertThat(stale.usable()).isFalse();
  }

  @Test
  void theEngineeringDeadbandIsTranslatedToRawUnits() {
    var p = PROFILE.requireSignal("pressure_inlet");
    var withDeadband =
        new io.hepaloop.profile.SignalSpec(
            p.id(),
            p.kind(),
            p.description(),
            p.nodeId(),
            p.dataType(),
            p.unit(),
            p.range(),
            p.scaling(),
            p.samplingIntervalMs(),
            0.5,
            p.allowed(),
            p.safeValue());
    // 0.5 mmHg at 100 raw counts per mmHg
    assertThat(MiloSession.rawDeadband(withDeadband)).isCloseTo(50.0, within(1e-9));
    assertThat(MiloSession.rawDeadband(p)).isZero();
  }
}
