package io.hepaloop.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A client of {@code GET /api/stream} as a script would be one: plain HTTP with {@code
 * Authorization: Bearer}, the JDK's HTTP client, a thread of its own that reads lines and hands
 * each complete frame on with the instant its last line was read. Counts frames by event type.
 *
 * <p>When the server closes the stream (it drops a client that falls behind), it reconnects with
 * {@code Last-Event-ID} as a well-behaved client does, and counts the reconnects; what it missed
 * comes again, late, or a {@code reset} frame says it is gone.
 */
public final class SseReader implements AutoCloseable {
  /** Receives each frame on the reader thread; must be quick. */
  public interface Listener {
    void frame(String type, String data, Instant arrived);
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String baseUrl;
  private final String bearerToken;
  private final Listener listener;
  private final Thread thread;
  private final CountDownLatch connected = new CountDownLatch(1);
  private final Map<String, LongAdder> framesByType = new ConcurrentHashMap<>();
  private final AtomicInteger reconnects = new AtomicInteger();
  private volatile InputStream body;
  private volatile boolean closed;
  private String lastEventId;

  private SseReader(String baseUrl, String bearerToken, Listener listener) {
    this.baseUrl = baseUrl;
    this.bearerToken = bearerToken;
    this.listener = listener;
    this.thread = new Thread(this::run, "bench-sse-reader");
    thread.setDaemon(true);
  }

  /**
   * Connects and waits for the server's {@code : connected} comment.
   *
   * @throws IllegalStateException naming the status and body when the server refuses
   */
  public static SseReader connect(String baseUrl, String bearerToken, Listener listener)
      throws IOException, InterruptedException {
    SseReader reader = new SseReader(baseUrl, bearerToken, listener);
    reader.body = reader.open();
    reader.thread.start();
    if (!reader.connected.await(30, TimeUnit.SECONDS)) {
      reader.close();
      throw new IllegalStateException("the SSE stream sent no ': connected' within 30 s");
    }
    return reader;
  }

  private InputStream open() throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/stream"))
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + bearerToken);
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> r =
        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      String text;
      try (InputStream in = r.body()) {
        text = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
      }
      throw new IllegalStateException(
          "GET " + baseUrl + "/api/stream answered " + r.statusCode() + ": " + text);
    }
    return r.body();
  }

  private void run() {
    while (!closed) {
      read(body);
      while (!closed) {
        try {
          Thread.sleep(200); // the retry the server asks for is 2 s; a bench wants its events
          body = open();
          reconnects.incrementAndGet();
          break;
        } catch (IOException | RuntimeException e) {
          // the server is going away or busy: try again until closed
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void read(InputStream in0) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(in0, StandardCharsets.UTF_8))) {
      String type = "message";
      String id = null;
      StringBuilder data = null;
      String line;
      while ((line = in.readLine()) != null) {
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
    } catch (IOException e) {
      // closed by close() or by the server
    }
  }

  /** Frames received so far, by event type ({@code reset}: events lost for good). */
  public Map<String, Long> framesByType() {
    Map<String, Long> out = new java.util.TreeMap<>();
    framesByType.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** How often the server closed the stream and the reader resumed it. */
  public int reconnects() {
    return reconnects.get();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    thread.interrupt();
    InputStream b = body;
    if (b != null) {
      b.close();
    }
  }
}
