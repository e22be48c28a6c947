package io.hepaloop.device;

import io.hepaloop.core.DataType;
import io.hepaloop.core.Quality;
import io.hepaloop.profile.SignalSpec;
import java.time.Instant;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;

/**
 * One OPC UA DataValue → one {@link Sample}: raw value scaled to engineering units by the profile,
 * the status code mapped to a {@link Quality}, the device's SourceTimestamp kept (the server
 * timestamp, then the controller's clock, only when the device gave none). The single place where
 * units are converted.
 */
public final class SampleConverter {
  private SampleConverter() {}

  public static Sample toSample(String reactorId, SignalSpec spec, DataValue dv, Instant now) {
    double raw = DataType.toDouble(dv.getValue());
    double value = Double.isNaN(raw) ? Double.NaN : spec.toEngineering(raw);
    Quality q = Qualities.of(dv.getStatusCode());
    if (Double.isNaN(value) && q == Quality.GOOD) {
      // "Good" with no number is not a usable measurement.
      q = Quality.BAD;
    }
    return new Sample(reactorId, spec.id(), value, spec.unit(), timeOf(dv, now), q, false);
  }

  static Instant timeOf(DataValue dv, Instant now) {
    Instant t = instant(dv.getSourceTime());
    if (t == null) {
      t = instant(dv.getServerTime());
    }
    return t == null ? now : t;
  }

  private static Instant instant(DateTime t) {
    if (t == null || t.isNull()) {
      return null;
    }
    return t.getJavaInstant();
  }

  /** The same value, marked stale: quality Bad, {@code stale = true}, the device time kept. */
  public static Sample stale(Sample s) {
    return new Sample(
        s.reactorId(), s.signalId(), s.value(), s.unit(), s.sourceTime(), Quality.BAD, true);
  }
}
