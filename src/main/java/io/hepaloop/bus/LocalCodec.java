package io.hepaloop.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes immutable records over the local event bus by reference (no serialisation). HepaLoop runs
 * in one process, so the bus is local; records are immutable, so sharing them is safe.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
  private final Class<T> type;

  private LocalCodec(Class<T> type) {
    this.type = type;
  }

  /** Registers a local codec as the default for each given record type (idempotent per Vertx). */
  public static void registerAll(Vertx vertx, Class<?>... types) {
    for (Class<?> t : types) {
      register(vertx, t);
    }
  }

  private static <T> void register(Vertx vertx, Class<T> t) {
    try {
      vertx.eventBus().registerDefaultCodec(t, new LocalCodec<>(t));
    } catch (IllegalStateException alreadyRegistered) {
      // another component of the same process registered it first
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    throw new UnsupportedOperationException(
        "HepaLoop's event bus is local: " + type.getName() + " is not sent over a wire");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("HepaLoop's event bus is local");
  }

  @Override
  public T transform(T t) {
    return t;
  }

  @Override
  public String name() {
    return "local-" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
