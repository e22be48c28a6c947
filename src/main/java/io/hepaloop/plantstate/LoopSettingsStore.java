package io.hepaloop.plantstate;

import io.hepaloop.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loop settings changed at run time (mode, setpoints, manual output, tuning), per reactor and loop,
 * so that a restart brings them back instead of the device profile's.
 *
 * <p>{@link #save} never blocks: it puts the setting in a map keyed by (reactor, loop), where a
 * newer save replaces one not yet written (only the latest matters), and one writer thread
 * ("loop-settings") writes what is there, all of it in one transaction. The map holds at most one
 * entry per loop, so it needs no bound. Should the database refuse, the settings stay in the map
 * (unless a newer save came meanwhile) and are tried again each second. {@link #close()} writes
 * everything saved.
 */
public final class LoopSettingsStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoopSettingsStore.class);
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

  private record Key(String reactorId, String loopId) {}

  private final Store store;
  private final ConcurrentHashMap<Key, LoopSetting> pending = new ConcurrentHashMap<>();
  private final SingleWriter writer;
  private volatile long writeFailures;

  public LoopSettingsStore(Store store) {
    if (store == null) {
      throw new IllegalArgumentException("store is required");
    }
    this.store = store;
    this.writer = new SingleWriter("loop-settings", this::writeOnce, Duration.ofSeconds(1));
  }

  /**
   * Queues the loop's settings; never blocks, callable from any thread.
   *
   * @throws IllegalArgumentException for a null setting
   * @throws IllegalStateException after {@link #close()}
   */
  public void save(LoopSetting setting) {
    if (setting == null) {
      throw new IllegalArgumentException("setting is required");
    }
    if (writer.isStopping()) {
      throw new IllegalStateException(
          "the loop settings store is closed; settings of loop '"
              + setting.loopId()
              + "' not saved");
    }
    pending.put(new Key(setting.reactorId(), setting.loopId()), setting);
    writer.wake();
  }

  /**
   * The saved settings of a reactor's loops, by loop id; includes every save made before the call
   * (it waits for them to be written). Blocks: not on an event loop.
   */
  public Map<String, LoopSetting> load(String reactorId) {
    if (reactorId == null || reactorId.isBlank()) {
      throw new IllegalArgumentException("reactorId is required");
    }
    flush();
    return store.read(c -> read(c, reactorId));
  }

  /**
   * The reactors that have saved settings (a restart finds those no longer in the plant). Blocks:
   * not on an event loop.
   */
  public java.util.Set<String> reactorIds() {
    flush();
    return store.read(
        c -> {
          java.util.Set<String> ids = new java.util.TreeSet<>();
          try (PreparedStatement p =
                  c.prepareStatement("SELECT DISTINCT reactor_id FROM loop_settings");
              ResultSet r = p.executeQuery()) {
            while (r.next()) {
              ids.add(r.getString(1));
            }
          }
          return ids;
        });
  }

  /** Waits until every save made before the call is written. */
  public void flush() {
    writer.flush(FLUSH_TIMEOUT);
  }

  /** Batches the database refused since start (each retried). */
  public long writeFailures() {
    return writeFailures;
  }

  /** Writes everything saved, then stops the writer. */
  @Override
  public void close() {
    writer.stop(FLUSH_TIMEOUT);
  }

  private SingleWriter.Outcome writeOnce(boolean flushing) {
    List<LoopSetting> batch = new ArrayList<>();
    for (Key k : pending.keySet()) {
      LoopSetting s = pending.remove(k);
      if (s != null) {
        batch.add(s);
      }
    }
    if (batch.isEmpty()) {
      return SingleWriter.Outcome.DONE;
    }
    try {
      store.transaction(
          c -> {
            for (LoopSetting s : batch) {
              write(c, s);
            }
            return null;
          });
    } catch (RuntimeException e) {
      for (LoopSetting s : batch) {
        pending.putIfAbsent(new Key(s.reactorId(), s.loopId()), s);
      }
      writeFailures++;
      LOG.error("loop settings: writing {} failed, will retry: {}", batch.size(), e.getMessage());
      return SingleWriter.Outcome.FAILED;
    }
    return pending.isEmpty() ? SingleWriter.Outcome.DONE : SingleWriter.Outcome.MORE;
  }

  private static void write(Connection c, LoopSetting s) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO loop_settings (reactor_id, loop_id, mode, setpoint,"
                + " cascade_setpoint, manual_output, changed_by, changed_at_ns, changed_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (reactor_id, loop_id) DO UPDATE SET mode = excluded.mode,"
                + " setpoint = excluded.setpoint, cascade_setpoint = excluded.cascade_setpoint,"
                + " manual_output = excluded.manual_output, changed_by = excluded.changed_by,"
                + " changed_at_ns = excluded.changed_at_ns, changed_at = excluded.changed_at")) {
      p.setString(1, s.reactorId());
      p.setString(2, s.loopId());
      p.setString(3, s.mode());
      Sql.setDouble(p, 4, s.setpoint());
      Sql.setDouble(p, 5, s.cascadeSetpoint());
      Sql.setDouble(p, 6, s.manualOutput());
      p.setString(7, s.changedBy());
      p.setLong(8, Sql.epochNanos(s.changedAt()));
      p.setString(9, s.changedAt().toString());
      p.executeUpdate();
    }
    // The tunings saved are the whole set: those no longer changed go back to the profile's.
    try (PreparedStatement p =
        c.prepareStatement("DELETE FROM loop_tunings WHERE reactor_id = ? AND loop_id = ?")) {
      p.setString(1, s.reactorId());
      p.setString(2, s.loopId());
      p.executeUpdate();
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO loop_tunings (reactor_id, loop_id, controller, gain, integral_time_s,"
                + " derivative_time_s, setpoint_weight_p, setpoint_weight_d, derivative_filter_n,"
                + " tracking_time_s, output_rate_limit_per_s)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<LoopSetting.Controller, LoopTuning> e : s.tunings().entrySet()) {
        LoopTuning t = e.getValue();
        p.setString(1, s.reactorId());
        p.setString(2, s.loopId());
        p.setString(3, e.getKey().id());
        p.setDouble(4, t.gain());
        p.setDouble(5, t.integralTimeS());
        p.setDouble(6, t.derivativeTimeS());
        p.setDouble(7, t.setpointWeightP());
        p.setDouble(8, t.setpointWeightD());
        p.setDouble(9, t.derivativeFilterN());
        p.setDouble(10, t.trackingTimeS());
        p.setDouble(11, t.outputRateLimitPerS());
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  private static Map<String, LoopSetting> read(Connection c, String reactorId) throws SQLException {
    Map<String, Map<LoopSetting.Controller, LoopTuning>> tunings = new LinkedHashMap<>();
    try (PreparedStatement p =
        c.prepareStatement("SELECT * FROM loop_tunings WHERE reactor_id = ?")) {
      p.setString(1, reactorId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          tunings
              .computeIfAbsent(
                  r.getString("loop_id"), k -> new EnumMap<>(LoopSetting.Controller.class))
              .put(
                  LoopSetting.Controller.fromId(r.getString("controller")),
                  new LoopTuning(
                      r.getDouble("gain"),
                      r.getDouble("integral_time_s"),
                      r.getDouble("derivative_time_s"),
                      r.getDouble("setpoint_weight_p"),
                      r.getDouble("setpoint_weight_d"),
                      r.getDouble("derivative_filter_n"),
                      r.getDouble("tracking_time_s"),
                      r.getDouble("output_rate_limit_per_s")));
        }
      }
    }
    Map<String, LoopSetting> out = new LinkedHashMap<>();
    try (PreparedStatement p =
        c.prepareStatement("SELECT * FROM loop_settings WHERE reactor_id = ? ORDER BY loop_id")) {
      p.setString(1, reactorId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          String loopId = r.getString("loop_id");
          out.put(
              loopId,
              new LoopSetting(
                  reactorId,
                  loopId,
                  r.getString("mode"),
                  Sql.doubleOrNull(r, "setpoint"),
                  Sql.doubleOrNull(r, "cascade_setpoint"),
                  Sql.doubleOrNull(r, "manual_output"),
                  tunings.getOrDefault(loopId, Map.of()),
                  r.getString("changed_by"),
                  Sql.instant(r.getLong("changed_at_ns"))));
        }
      }
    }
    return out;
  }
}
