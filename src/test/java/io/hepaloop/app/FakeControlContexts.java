package io.hepaloop.app;

import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Control contexts of fake reactors: one Vert.x context each, whose door accepts every command and
 * records it with the thread it ran on (a test checks it is the reactor's context).
 */
public final class FakeControlContexts implements ControlContexts {
  /** A command the door received, and whether it came on the reactor's context. */
  public record Sent(String reactorId, ControlCommand command, boolean onContext) {}

  private final Map<String, Context> contexts = new LinkedHashMap<>();
  public final List<Sent> sent = new CopyOnWriteArrayList<>();

  public FakeControlContexts(Vertx vertx, String... reactorIds) {
    for (String r : reactorIds) {
      contexts.put(r, vertx.getOrCreateContext());
    }
  }

  @Override
  public <T> Future<T> call(String reactorId, Function<Door, T> action) {
    Context c = contexts.get(reactorId);
    if (c == null) {
      return Future.failedFuture(new IllegalArgumentException("no reactor " + reactorId));
    }
    Promise<T> p = Promise.promise();
    c.runOnContext(
        v -> {
          try {
            p.complete(
                action.apply(
                    cmd -> {
                      sent.add(new Sent(reactorId, cmd, Vertx.currentContext() == c));
                      return CommandResult.accepted("applied");
                    }));
          } catch (RuntimeException e) {
            p.fail(e);
          }
        });
    return p.future();
  }

  /** The commands sent to {@code reactorId}, in order. */
  public List<ControlCommand> commands(String reactorId) {
    return sent.stream().filter(s -> s.reactorId().equals(reactorId)).map(Sent::command).toList();
  }
}
