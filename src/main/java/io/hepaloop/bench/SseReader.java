package io.hepaloop.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A client of {@code GET /api/stream} as a script would be one, in a Vert.x of its own (one event
 * loop, nothing shared with the plant): plain HTTP with {@code Authorization: Bearer}, lines split
 * as they arrive, each complete frame handed on with the instant its last line was read. Counts
 * frames by event type.
 *
 * <p>The JDK's HTTP client was tried first: on a 2-core machine under load its hand-offs between
 * threads (selector, executor, the reader's blocking queue) left it seconds behind, and the server
 * dropped it as a slow client. One Netty event loop reads what it is sent.
 *
 * <p>When the server closes the stream (it drops a client that falls behind), the reader resumes
 * with {@code Last-Event-ID} as a well-behaved client does, and counts the reconnects; what it
 * missed comes again, late, or a {@code reset} frame says it is gone.
 */
public final class SseReader implements AutoCloseable {
  /** Receives each frame on the reader's event loop; must be quick. */
  public interface Listener {
    void frame(String type, String data, Instant arrived);
  }

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final HttpClient http =
      vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000));
  private final int port;
  private final String bearerToken;
  private final Listener listener;
  private final CountDownLatch connected = new CountDownLatch(1);
  private final Map<String, LongAdder> framesByType = new ConcurrentHashMap<>();
  private final AtomicInteger reconnects = new AtomicInteger();
  private volatile boolean closed;
  private volatile String failure;
  // the reader's event loop only
  private String lastEventId;
  private String type = "message";
  private String id;
  private StringBuilder data;

  private SseReader(int port, String bearerToken, Listener listener) {
    this.port = port;
    this.bearerToken = bearerToken;
    this.listener = listener;
  }

  /**
   * Connects to {@code 127.0.0.1:port} and waits for the server's {@code : connected} comment.
   *
   * @throws IllegalStateException naming the status and body when the server refuses
   */
  public static SseReader connect(int port, String bearerToken, Listener listener)
      throws Exception {
    SseReader reader = new SseReader(port, bearerToken, listener);
    reader.vertx.runOnContext(v -> reader.open());
    if (!reader.connected.await(30, TimeUnit.SECONDS)) {
      String why = reader.failure;
      reader.close();
      throw new IllegalStateException(
          why != null ? why : "the SSE stream sent no ': connected' within 30 s");
    }
    return reader;
  }

  private void open() {
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/api/stream")
            .putHeader("Accept", "text/event-stream")
            .putHeader("Authorization", "Bearer " + bearerToken);
    if (lastEventId != null) {
      request.putHeader("Last-Event-ID", lastEventId);
    }
    http.request(request).compose(r -> r.send()).compose(this::stream).onFailure(e -> retry());
  }

  private Future<Void> stream(HttpClientResponse r) {
    if (r.statusCode() != 200) {
      return r.body()
          .compose(
              b -> {
                failure = "GET /api/stream answered " + r.statusCode() + ": " + b;
                closed = true; // refused: retrying would not help
                return Future.failedFuture(failure);
              });
    }
    type = "message";
    id = null;
    data = null;
    RecordParser lines = RecordParser.newDelimited("\n", this::line);
    r.handler(lines);
    r.endHandler(v -> retry());
    r.exceptionHandler(e -> {}); // the end handler or the connection's close follows
    return Future.succeededFuture();
  }

  private void line(Buffer b) {
    String line = b.toString();
    if (line.isEmpty()) {
      if (data != null) {
        Instant arrived = Instant.now();
        framesByType.computeIfAbsent(type, k -> new LongAdder()).increment();
        listener.frame(type, data.toString(), arrived);
        lastEventId = id == null ? lastEventId : id;
      }
      type = "message";
      id = null;
      data = null;
    } else if (line.startsWith(":")) {
      connected.countDown();
    } else if (line.startsWith("id: ")) {
      id = line.substring(4);
    } else if (line.startsWith("event: ")) {
      type = line.substring(7);
    } else if (line.startsWith("data: ")) {
      data = data == null ? new StringBuilder() : data.append('\n');
      data.append(line, 6, line.length());
    }
  }

  /** After the stream ended or a connect failed: again in 200 ms, until closed. */
  private void retry() {
    if (closed) {
      return;
    }
    vertx.setTimer(
        200,
        t -> {
          if (!closed) {
            reconnects.incrementAndGet();
            open();
          }
        });
  }

  /** Frames received so far, by event type ({@code reset}: events lost for good). */
  public Map<String, Long> framesByType() {
    Map<String, Long> out = new java.util.TreeMap<>();
    framesByType.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** How often the stream ended (or a reconnect failed) and the reader tried again. */
  public int reconnects() {
    return reconnects.get();
  }

  @Override
  public void close() throws Exception {
    closed = true;
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
