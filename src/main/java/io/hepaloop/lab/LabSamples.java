package io.hepaloop.lab;

import io.hepaloop.store.Store;
import io.hepaloop.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab results of runs: entered and corrected with every check (analyte known, unit of the right
 * kind, times in order and inside the run, detection limit consistent), stored with every revision,
 * and handed to a {@link Listener} once committed (the application writes them to InfluxDB).
 *
 * <p>Time rules: the sample time lies in the run (from its creation to its end; while it goes on,
 * not later than now plus {@link #FUTURE_SKEW}); the result time is at or after the sample time and
 * not in the future, but may be after the run ended (labs often measure a day later).
 *
 * <p>Blocking: every method works on the database; call it on a worker.
 */
public final class LabSamples {
  private static final Logger LOG = LoggerFactory.getLogger(LabSamples.class);

  /** How far a time may lie ahead of this clock: a lab PC's clock a little ahead of ours. */
  public static final Duration FUTURE_SKEW = Duration.ofMinutes(5);

  /** Longest method name and reason, in characters. */
  public static final int MAX_TEXT = 1_000;

  /** Told about each revision once it is committed (on the caller's thread; must not block). */
  @FunctionalInterface
  public interface Listener {
    void recorded(LabSample sample);
  }

  /**
   * What an entry or correction stored.
   *
   * @param previous the revision it corrects; null for an entry
   */
  public record Recorded(LabSample sample, LabSample previous) {}

  private final Store store;
  private final Clock clock;
  private final LabAnalytes analytes;
  private final Listener listener;

  public LabSamples(Store store, Clock clock, LabAnalytes analytes, Listener listener) {
    this.store = store;
    this.clock = clock;
    this.analytes = analytes;
    this.listener = listener == null ? s -> {} : listener;
  }

  public LabAnalytes analytes() {
    return analytes;
  }

  /**
   * Stores {@code entry} as revision 1 of a new sample of {@code runId}, entered by {@code user}.
   *
   * @throws LabNotFoundException when the run does not exist
   * @throws LabInputException naming the field that is wrong
   */
  public Recorded enter(String runId, LabEntry entry, String user) {
    Analyte analyte =
        analytes
            .find(entry.analyte())
            .orElseThrow(
                () ->
                    new LabInputException(
                        "analyte",
                        entry.analyte() == null
                            ? "is missing; analytes: " + analytes.ids()
                            : "unknown analyte '"
                                + entry.analyte()
                                + "'; analytes: "
                                + analytes.ids()));
    Instant now = clock.now();
    LabSample stored =
        store.transaction(
            c -> {
              LabSampleStore.RunSpan run = runOf(c, runId);
              LabSample s =
                  checked(
                      LabSampleStore.nextSampleId(c),
                      1,
                      run,
                      analyte,
                      entry.value(),
                      entry.unit(),
                      entry.belowDetectionLimit(),
                      entry.detectionLimit(),
                      entry.method(),
                      entry.sampledAt(),
                      entry.measuredAt(),
                      now,
                      user,
                      null);
              LabSampleStore.insert(c, s);
              return s;
            });
    published(stored);
    return new Recorded(stored, null);
  }

  /**
   * Stores revision n+1 of {@code sampleId}; the revisions before stay as they were.
   *
   * @throws LabNotFoundException when the run does not exist or has no such sample
   * @throws LabInputException naming the field that is wrong (a reason is required)
   */
  public Recorded correct(String runId, String sampleId, LabCorrection fix, String user) {
    String reason = text("reason", fix.reason());
    if (reason == null) {
      throw new LabInputException("reason", "is required: say why the result is corrected");
    }
    Instant now = clock.now();
    LabSample[] before = new LabSample[1];
    LabSample stored =
        store.transaction(
            c -> {
              LabSampleStore.RunSpan run = runOf(c, runId);
              LabSample old = LabSampleStore.latestOf(c, sampleId);
              if (old == null || !old.runId().equals(runId)) {
                throw new LabNotFoundException("run " + runId + " has no sample " + sampleId);
              }
              before[0] = old;
              Analyte analyte =
                  analytes
                      .find(old.analyte())
                      .orElseThrow(
                          () ->
                              new LabInputException(
                                  "analyte",
                                  "sample "
                                      + sampleId
                                      + " is of analyte '"
                                      + old.analyte()
                                      + "', which the configuration no longer lists"));
              boolean below =
                  fix.belowDetectionLimit() == null
                      ? old.belowDetectionLimit()
                      : fix.belowDetectionLimit();
              LabSample s =
                  checked(
                      sampleId,
                      old.revision() + 1,
                      run,
                      analyte,
                      fix.value(),
                      fix.unit(),
                      below,
                      fix.detectionLimit() != null
                          ? fix.detectionLimit()
                          : sameUnit(fix.unit(), old) ? old.detectionLimit() : null,
                      fix.method() == null ? old.method() : fix.method(),
                      fix.sampledAt() == null ? old.sampledAt() : fix.sampledAt(),
                      fix.measuredAt() == null ? old.measuredAt() : fix.measuredAt(),
                      now,
                      user,
                      reason);
              LabSampleStore.insert(c, s);
              return s;
            });
    published(stored);
    return new Recorded(stored, before[0]);
  }

  /** A detection limit is carried over only when it is in the unit the correction uses. */
  private static boolean sameUnit(String unit, LabSample old) {
    return unit != null && unit.strip().equals(old.unit());
  }

  /**
   * The latest revision of each sample of the run.
   *
   * @throws LabNotFoundException when the run does not exist
   */
  public List<LabSample> latest(String runId) {
    return store.read(
        c -> {
          runOf(c, runId);
          return LabSampleStore.latest(c, runId);
        });
  }

  /** Every revision of every sample of the run. */
  public List<LabSample> allRevisions(String runId) {
    return store.read(
        c -> {
          runOf(c, runId);
          return LabSampleStore.all(c, runId);
        });
  }

  private static LabSampleStore.RunSpan runOf(java.sql.Connection c, String runId)
      throws java.sql.SQLException {
    LabSampleStore.RunSpan run = runId == null ? null : LabSampleStore.run(c, runId);
    if (run == null) {
      throw new LabNotFoundException("no run " + runId);
    }
    return run;
  }

  private void published(LabSample s) {
    try {
      listener.recorded(s);
    } catch (RuntimeException e) {
      // stored is stored: the database is the record, InfluxDB a copy for trends
      LOG.error(
          "lab sample {} revision {} not published: {}", s.sampleId(), s.revision(), e.toString());
    }
  }

  /** Every check of one revision, in the order a person filling the form would fix them. */
  private LabSample checked(
      String sampleId,
      int revision,
      LabSampleStore.RunSpan run,
      Analyte analyte,
      Double value,
      String unitText,
      boolean below,
      Double detectionLimit,
      String methodText,
      Instant sampledAt,
      Instant measuredAt,
      Instant now,
      String user,
      String reason) {
    String unit = unitText == null ? null : unitText.strip();
    if (unit == null || unit.isEmpty()) {
      throw new LabInputException("unit", "is missing; expected a unit like " + analyte.unit());
    }
    if (unit.length() > 64) {
      throw new LabInputException("unit", "is longer than 64 characters");
    }
    if (detectionLimit != null && !(Double.isFinite(detectionLimit) && detectionLimit > 0)) {
      throw new LabInputException(
          "detectionLimit", "must be a finite number > 0, got " + detectionLimit);
    }
    double v;
    if (below) {
      if (detectionLimit == null) {
        throw new LabInputException(
            "detectionLimit",
            "is required when belowDetectionLimit is true (it is stored as the value)");
      }
      if (value != null && value.doubleValue() != detectionLimit) {
        throw new LabInputException(
            "value",
            "a result below the detection limit is stored as the limit ("
                + detectionLimit
                + "); leave value out or give the limit, or set belowDetectionLimit to false");
      }
      v = detectionLimit;
    } else {
      if (value == null) {
        throw new LabInputException("value", "is missing");
      }
      if (!(Double.isFinite(value) && value >= 0)) {
        throw new LabInputException("value", "must be a finite number >= 0, got " + value);
      }
      if (detectionLimit != null && value < detectionLimit) {
        throw new LabInputException(
            "value",
            value
                + " is below the detection limit "
                + detectionLimit
                + "; set belowDetectionLimit to true");
      }
      v = value;
    }
    double canonical;
    try {
      canonical = LabUnits.toCanonical(analyte, v, unit);
    } catch (IllegalArgumentException e) {
      throw new LabInputException("unit", e.getMessage());
    }
    checkTimes(run, sampledAt, measuredAt, now);
    return new LabSample(
        sampleId,
        revision,
        run.runId(),
        run.reactorId(),
        analyte.id(),
        v,
        unit,
        canonical,
        analyte.unit(),
        below,
        detectionLimit,
        text("method", methodText),
        sampledAt.truncatedTo(ChronoUnit.MICROS),
        measuredAt.truncatedTo(ChronoUnit.MICROS),
        now.truncatedTo(ChronoUnit.MICROS),
        user,
        reason,
        revision);
  }

  private static void checkTimes(
      LabSampleStore.RunSpan run, Instant sampledAt, Instant measuredAt, Instant now) {
    Instant latest = now.plus(FUTURE_SKEW);
    if (sampledAt == null) {
      throw new LabInputException(
          "sampledAt", "is missing (when the sample was drawn, UTC ISO-8601)");
    }
    if (measuredAt == null) {
      throw new LabInputException(
          "measuredAt", "is missing (when the lab measured it, UTC ISO-8601)");
    }
    if (sampledAt.isAfter(latest)) {
      throw new LabInputException("sampledAt", sampledAt + " is in the future (now " + now + ")");
    }
    if (sampledAt.isBefore(run.createdAt())) {
      throw new LabInputException(
          "sampledAt",
          sampledAt + " is before run " + run.runId() + " was created (" + run.createdAt() + ")");
    }
    if (run.endedAt() != null && sampledAt.isAfter(run.endedAt())) {
      throw new LabInputException(
          "sampledAt",
          sampledAt + " is after run " + run.runId() + " ended (" + run.endedAt() + ")");
    }
    if (measuredAt.isBefore(sampledAt)) {
      throw new LabInputException(
          "measuredAt",
          measuredAt + " is before the sample was drawn (sampledAt " + sampledAt + ")");
    }
    if (measuredAt.isAfter(latest)) {
      throw new LabInputException("measuredAt", measuredAt + " is in the future (now " + now + ")");
    }
  }

  /** Optional free text: blank is none; too long is refused. */
  private static String text(String field, String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String t = s.strip();
    if (t.length() > MAX_TEXT) {
      throw new LabInputException(field, "is longer than " + MAX_TEXT + " characters");
    }
    return t;
  }
}
