package io.hepaloop.app;

import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.bus.LocalCodec;
import io.hepaloop.control.InterlockChange;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.device.ActuatorCommand;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.device.WriteResult;
import io.vertx.core.Vertx;

/**
 * Registers the local codecs of every record HepaLoop sends on the event bus. The app does it, not
 * the bus package: the bus knows addresses, not the types of the features that use them (which
 * would make bus and its users depend on each other). A component that can be deployed alone (a
 * device link, a reactor controller) also registers the few types it sends itself; registration is
 * idempotent.
 */
public final class Codecs {
  private Codecs() {}

  public static void register(Vertx vertx) {
    LocalCodec.registerAll(
        vertx,
        SampleBatch.class,
        LinkState.class,
        ActuatorCommand.class,
        WriteResult.class,
        LoopSnapshot.class,
        HepaEvent.class,
        InterlockChange.class,
        AlarmTransition.class);
  }
}
