package io.hepaloop.console;

import io.hepaloop.bus.Addresses;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.profile.DeviceProfile;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Prints the {@link LiveTable} every second. Deploy as a worker verticle: printing is I/O and must
 * not run on an event loop. On a terminal the screen is redrawn in place; otherwise blocks are
 * appended.
 */
public final class LiveTableVerticle extends VerticleBase {
  private final LiveTable table;
  private final List<String> reactorIds;
  private final PrintStream out;
  private final boolean ansi;
  private final long refreshMs;
  private final Function<String, LinkState> currentLinkState;

  /**
   * @param currentLinkState each link's state now: the table starts after links may have published
   *     their last change, and must not show a connected reactor as unknown until the next one
   */
  public LiveTableVerticle(
      Map<String, DeviceProfile> profileByReactor,
      Function<String, LinkState> currentLinkState,
      PrintStream out,
      boolean ansi,
      long refreshMs) {
    this.currentLinkState = currentLinkState;
    this.table = new LiveTable(profileByReactor);
    this.reactorIds = List.copyOf(profileByReactor.keySet());
    this.out = out;
    this.ansi = ansi;
    this.refreshMs = refreshMs;
  }

  @Override
  public Future<?> start() {
    for (String id : reactorIds) {
      vertx.eventBus().<SampleBatch>consumer(Addresses.samples(id), m -> table.apply(m.body()));
      vertx.eventBus().<LinkState>consumer(Addresses.link(id), m -> table.apply(m.body()));
      LinkState now = currentLinkState.apply(id);
      if (now != null) {
        table.apply(now);
      }
      vertx.eventBus().<LoopSnapshot>consumer(Addresses.control(id), m -> table.apply(m.body()));
    }
    vertx.setPeriodic(refreshMs, t -> print());
    return Future.succeededFuture();
  }

  private void print() {
    String text = table.render(Instant.now());
    if (ansi) {
      out.print("\033[H\033[2J" + text);
    } else {
      out.print(text + "\n");
    }
    out.flush();
  }
}
