package io.hepaloop.api;

import java.util.function.Consumer;

/**
 * The most recent SSE frames with their ids, so a client that reconnects with {@code Last-Event-ID}
 * gets what it missed. Fixed capacity: the oldest frame is overwritten, so memory does not grow
 * with uptime. Ids are {@code long}s that rise by one per frame from the first id given, so they
 * neither wrap nor repeat in any run (at 10⁶ events per second a long lasts 290,000 years). Not
 * thread-safe: the stream's one context uses it.
 */
final class EventStreamRing {
  private final long[] ids;
  private final String[] frames;

  /** Index of the oldest frame held. */
  private int start;

  private int size;
  private long nextId;

  /**
   * @param capacity frames held
   * @param firstId the id the first frame gets
   */
  EventStreamRing(int capacity, long firstId) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    ids = new long[capacity];
    frames = new String[capacity];
    nextId = firstId;
  }

  /** The id the next frame will get. */
  long nextId() {
    return nextId;
  }

  /** The newest id handed out, or {@code nextId() - 1} before the first. */
  long newestId() {
    return nextId - 1;
  }

  int size() {
    return size;
  }

  /**
   * Stores a frame made for the next id.
   *
   * @param frameForId builds the frame text from its id
   * @return the frame stored
   */
  String append(java.util.function.LongFunction<String> frameForId) {
    long id = nextId++;
    String frame = frameForId.apply(id);
    int slot;
    if (size == ids.length) {
      slot = start;
      start = (start + 1) % ids.length;
    } else {
      slot = (start + size) % ids.length;
      size++;
    }
    ids[slot] = id;
    frames[slot] = frame;
    return frame;
  }

  /**
   * Replays the frames after {@code lastId}, oldest first.
   *
   * @return false when the ring cannot say what came after {@code lastId} (older than the oldest
   *     frame held, or an id this stream never handed out, e.g. one from before a restart); then
   *     nothing is replayed and the client must reload its state
   */
  boolean replayAfter(long lastId, Consumer<String> out) {
    long newest = newestId();
    if (lastId > newest) {
      return false;
    }
    long oldest = size == 0 ? nextId : ids[start];
    if (lastId < oldest - 1) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      int slot = (start + i) % ids.length;
      if (ids[slot] > lastId) {
        out.accept(frames[slot]);
      }
    }
    return true;
  }
}
