package io.hepaloop.bus;

import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.device.ActuatorCommand;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.device.WriteResult;
import io.vertx.core.Vertx;

/** Registers the local codecs of every record HepaLoop sends on the event bus. */
public final class Codecs {
  private Codecs() {}

  public static void register(Vertx vertx) {
    LocalCodec.registerAll(vertx, SampleBatch.class, LinkState.class, ActuatorCommand.class, WriteResult.class, LoopSnapshot.class, HepaEvent.class);
  }
}
