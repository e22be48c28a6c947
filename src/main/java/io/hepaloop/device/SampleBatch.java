package io.hepaloop.device;

import java.util.List;

/**
 * The samples one OPC UA publish (or one simulator step) delivered for one reactor. Published on
 * {@link io.hepaloop.bus.Addresses#samples(String)} as one message, so that 20k samples/s do not
 * become 20k event-bus deliveries per consumer.
 */
public record SampleBatch(String reactorId, List<Sample> samples) {
  public SampleBatch {
    samples = List.copyOf(samples);
  }
}
