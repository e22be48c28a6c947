package io.hepaloop.app;

import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.bus.LocalCodec;
import io.hepaloop.control.LoopSettings;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plantstate.LoopSetting;
import io.hepaloop.plantstate.LoopSettingsStore;
import io.hepaloop.store.Store;
import io.hepaloop.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the loop settings changed at run time across restarts. At start ({@link #load}, blocking,
 * before the controllers deploy) it reads each reactor's saved settings for its controller to
 * restore ({@code ReactorController.restoring}); a reactor no longer in the plant is skipped with a
 * warning event. While the plant runs ({@link #start}) it saves every loop's settings the
 * controllers publish on {@link Addresses#loopSettings} after an applied change: {@link
 * LoopSettingsStore#save} only queues, so neither the control context nor the event loop waits on
 * the database.
 */
public final class LoopSettingsKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoopSettingsKeeper.class);

  private final LoopSettingsStore store;
  private final Clock clock;
  private final List<HepaEvent> notices = new ArrayList<>();
  private final List<MessageConsumer<LoopSettings>> consumers = new ArrayList<>();

  public LoopSettingsKeeper(Store store, Clock clock) {
    this(new LoopSettingsStore(store), clock);
  }

  LoopSettingsKeeper(LoopSettingsStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Each configured reactor's saved loop settings, to restore; blocks (database), so not on an
   * event loop. A reactor or a record that cannot be restored becomes a warning event, raised by
   * {@link #start}.
   */
  public Map<String, List<LoopSettings>> load(PlantConfig plant) {
    Map<String, List<LoopSettings>> out = new LinkedHashMap<>();
    for (String reactorId : store.reactorIds()) {
      if (!plant.reactorIds().contains(reactorId)) {
        notice(
            reactorId,
            "Stored loop settings of reactor "
                + reactorId
                + " skipped: it is no longer in the plant configuration.");
      }
    }
    for (String reactorId : plant.reactorIds()) {
      List<LoopSettings> settings = new ArrayList<>();
      for (LoopSetting s : store.load(reactorId).values()) {
        try {
          settings.add(LoopSettingsMapping.fromStored(s));
        } catch (IllegalArgumentException e) {
          notice(
              reactorId,
              "Stored settings of loop "
                  + s.loopId()
                  + " (from "
                  + s.changedAt()
                  + " by "
                  + s.changedBy()
                  + ") skipped: "
                  + e.getMessage());
        }
      }
      if (!settings.isEmpty()) {
        LOG.info(
            "reactor {}: restoring the run-time settings of {} loop(s)",
            reactorId,
            settings.size());
        out.put(reactorId, settings);
      }
    }
    return out;
  }

  /**
   * Raises the warnings of {@link #load} and saves from now on what the controllers of {@code
   * reactorIds} publish.
   */
  public Future<Void> start(Vertx vertx, List<String> reactorIds) {
    LocalCodec.registerAll(vertx, LoopSettings.class, HepaEvent.class);
    notices.forEach(e -> vertx.eventBus().publish(Addresses.EVENTS, e));
    notices.clear();
    List<Future<Void>> registered = new ArrayList<>();
    for (String id : reactorIds) {
      MessageConsumer<LoopSettings> c =
          vertx.eventBus().localConsumer(Addresses.loopSettings(id), m -> save(m.body()));
      consumers.add(c);
      registered.add(c.completion());
    }
    return Future.all(registered).mapEmpty();
  }

  private void save(LoopSettings s) {
    try {
      store.save(LoopSettingsMapping.toStored(s));
    } catch (RuntimeException e) {
      LOG.error(
          "reactor {} loop {}: settings not saved: {}", s.reactorId(), s.loopId(), e.getMessage());
    }
  }

  private void notice(String reactorId, String message) {
    LOG.warn(message);
    notices.add(
        new HepaEvent(clock.now(), reactorId, "control", "loop-settings", "warning", message));
  }

  /** Stops saving and writes everything saved (call after the controllers stopped). */
  @Override
  public void close() {
    consumers.forEach(MessageConsumer::unregister);
    store.close();
  }
}
