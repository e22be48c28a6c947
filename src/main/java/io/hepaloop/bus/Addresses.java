package io.hepaloop.bus;

/** Every event-bus address HepaLoop uses, in one place. */
public final class Addresses {
  private Addresses() {}

  /**
   * {@link io.hepaloop.device.SampleBatch} from the device link (sensors and actuator read-backs).
   */
  public static String samples(String reactorId) {
    return "reactor." + reactorId + ".samples";
  }

  /**
   * {@link io.hepaloop.device.ActuatorCommand} requests; reply is a {@link
   * io.hepaloop.device.WriteResult}.
   */
  public static String commands(String reactorId) {
    return "reactor." + reactorId + ".commands";
  }

  /** {@link io.hepaloop.device.LinkState} changes. */
  public static String link(String reactorId) {
    return "reactor." + reactorId + ".link";
  }

  /** Controller state snapshots (setpoints, outputs, modes, P/I/D terms) per reactor. */
  public static String control(String reactorId) {
    return "reactor." + reactorId + ".control";
  }

  /** Interlock trips, clears and resets of the reactor ({@code control.InterlockChange}). */
  public static String interlocks(String reactorId) {
    return "reactor." + reactorId + ".interlocks";
  }

  /**
   * The reactor's controller is alive: after each loop execution its {@code ReactorController}
   * publishes a {@code Long}, the {@link System#nanoTime()} (this JVM; the bus is local) until
   * which every loop has executed recently enough. The device link writes the watchdog heartbeat
   * only before that time (when its heartbeat follows the controller), so a stalled loop stops the
   * heartbeat.
   */
  public static String controllerAlive(String reactorId) {
    return "reactor." + reactorId + ".controller.alive";
  }

  /**
   * A loop's whole run-time settings ({@code control.LoopSettings}) after each applied change (a
   * command, an accepted auto-tune); the application keeps them across restarts.
   */
  public static String loopSettings(String reactorId) {
    return "reactor." + reactorId + ".loop-settings";
  }

  /** Events: interlock trips, alarms, operator actions, run phases (for the events measurement). */
  public static final String EVENTS = "hepaloop.events";

  /**
   * Alarm lifecycle events: every {@code alarm.AlarmTransition}, published by the alarm service.
   */
  public static final String ALARM_EVENTS = "alarms.events";

  /** Changes of runs ({@link RunChange}), published by the run service. */
  public static final String RUNS = "runs.changes";
}
