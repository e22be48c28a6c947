package io.hepaloop.console;

import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.profile.SignalSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The terminal view of live values: one row per reactor, one column per profile signal, with link
 * state and loop setpoints. Reactors may run on different profiles: the columns are the union of
 * their signals (same id and unit = same column), and a reactor shows blank where its profile has
 * no such signal. Pure state + rendering, no I/O, so it is unit-tested; {@link LiveTableVerticle}
 * feeds it from the event bus and prints it.
 *
 * <p>Quality is never hidden: an Uncertain value is shown with {@code ?}, a Bad one as {@code BAD},
 * a stale one (link down, last known value) with {@code ~} — a number that is not fresh and good
 * never looks like one that is.
 */
public final class LiveTable {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final List<SignalSpec> columns = new ArrayList<>();
  private final Map<String, Row> rows = new LinkedHashMap<>();

  /** All reactors on one profile. */
  public LiveTable(DeviceProfile profile, List<String> reactorIds) {
    this(sameProfile(profile, reactorIds));
  }

  /** Each reactor on its own profile, rows in the map's order. */
  public LiveTable(Map<String, DeviceProfile> profileByReactor) {
    Map<String, SignalSpec> byKey = new LinkedHashMap<>();
    profileByReactor.forEach(
        (id, profile) -> {
          Row row = new Row();
          for (SignalSpec s : profile.signals()) {
            byKey.putIfAbsent(key(s), s);
            row.signalKeys.add(key(s));
          }
          for (LoopSpec loop : profile.loops()) {
            row.pvByLoop.put(loop.id(), loop.pv());
          }
          rows.put(id, row);
        });
    columns.addAll(byKey.values());
  }

  private static Map<String, DeviceProfile> sameProfile(
      DeviceProfile profile, List<String> reactorIds) {
    Map<String, DeviceProfile> m = new LinkedHashMap<>();
    reactorIds.forEach(id -> m.put(id, profile));
    return m;
  }

  private static String key(SignalSpec s) {
    return s.id() + " " + s.unit();
  }

  public void apply(SampleBatch batch) {
    Row row = rows.get(batch.reactorId());
    if (row != null) {
      for (Sample s : batch.samples()) {
        row.values.put(s.signalId(), s);
      }
    }
  }

  public void apply(LinkState state) {
    Row row = rows.get(state.reactorId());
    if (row != null) {
      row.link = state;
    }
  }

  public void apply(LoopSnapshot snapshot) {
    Row row = rows.get(snapshot.reactorId());
    if (row != null) {
      row.loopsById.put(snapshot.loopId(), snapshot);
    }
  }

  /** Renders the table as plain text lines (no ANSI codes). */
  public String render(Instant now) {
    List<String[]> cells = new ArrayList<>();
    String[] header = new String[columns.size() + 2];
    header[0] = "reactor";
    header[1] = "link";
    for (int i = 0; i < columns.size(); i++) {
      SignalSpec s = columns.get(i);
      header[i + 2] = s.id() + " " + s.unit();
    }
    cells.add(header);
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row row = e.getValue();
      String[] line = new String[columns.size() + 2];
      line[0] = e.getKey();
      line[1] = row.link == null ? "-" : row.link.state().name();
      for (int i = 0; i < columns.size(); i++) {
        line[i + 2] = cell(row, columns.get(i));
      }
      cells.add(line);
    }
    int[] widths = new int[header.length];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("HepaLoop — ")
        .append(rows.size())
        .append(" reactors — ")
        .append(TIME.format(now))
        .append("   (? uncertain, ~ stale, BAD bad quality; [sp] loop setpoint; Ctrl-C stops)\n");
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        out.append(String.format("%-" + widths[i] + "s", line[i]));
        out.append(i == line.length - 1 ? "\n" : "  ");
      }
    }
    return out.toString();
  }

  private static String cell(Row row, SignalSpec signal) {
    if (!row.signalKeys.contains(key(signal))) {
      return ""; // not a signal of this reactor's profile
    }
    Sample s = row.values.get(signal.id());
    String text;
    if (s == null) {
      text = "-";
    } else if (s.quality() == Quality.BAD && !s.stale()) {
      text = "BAD";
    } else {
      text = String.format("%.2f", s.value());
      if (s.stale()) {
        text = "~" + text;
      } else if (s.quality() == Quality.UNCERTAIN) {
        text = text + "?";
      }
    }
    for (LoopSnapshot loop : row.loopsById.values()) {
      if (signal.id().equals(row.pvByLoop.get(loop.loopId()))) {
        text += String.format(" [%.1f %s]", loop.setpoint(), loop.mode());
        break;
      }
    }
    return text;
  }

  private static final class Row {
    final Map<String, Sample> values = new LinkedHashMap<>();
    final Map<String, LoopSnapshot> loopsById = new LinkedHashMap<>();
    final Map<String, String> pvByLoop = new LinkedHashMap<>();
    final Set<String> signalKeys = new HashSet<>();
    LinkState link;
  }
}
