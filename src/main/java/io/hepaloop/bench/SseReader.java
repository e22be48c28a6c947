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
import java.util.concurrent.atomic.LongAdder;

/**
 * A client of {@code GET /api/stream} as a script would be one: plain HTTP with {@code
 * Authorization: Bearer}, the JDK's HTTP client, a thread of its own that reads lines and hands
 * each complete frame on with the instant its last line was read. Counts frames by event type.
 */
public final class SseReader implements AutoCloseable {
  /** Receives each frame on the reader thread; must be quick. */
  public interface Listener {
    void frame(String type, String data, Instant arrived);
  }

  private final InputStream body;
  private final Thread thread;
  private final Listener listener;
  private final CountDownLatch connected = new CountDownLatch(1);
  private final Map<String, LongAdder> framesByType = new ConcurrentHashMap<>();
  private volatile boolean ended;

  private SseReader(InputStream body, Listener listener) {
    this.body = body;
    this.listener = listener;
    this.thread = new Thread(this::read, "bench-sse-reader");
    thread.setDaemon(true);
  }

  /**
   * Connects and waits for the server's {@code : connected} comment.
   *
   * @throws IllegalStateException naming the status and body when the server refuses
   */
  public static SseReader connect(String baseUrl, String bearerToken, Listener listener)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/stream"))
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + bearerToken)
            .build();
    HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      String text;
      try (InputStream in = r.body()) {
        text = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
      }
      throw new IllegalStateException(
          "GET " + baseUrl + "/api/stream answered " + r.statusCode() + ": " + text);
    }
    SseReader reader = new SseReader(r.body(), listener);
    reader.thread.start();
    if (!reader.connected.await(30, TimeUnit.SECONDS)) {
      reader.close();
      throw new IllegalStateException("the SSE stream sent no ': connected' within 30 s");
    }
    return reader;
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String type = "message";
      StringBuilder data = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            Instant arrived = Instant.now();
            framesByType.computeIfAbsent(type, k -> new LongAdder()).increment();
            listener.frame(type, data.toString(), arrived);
          }
          type = "message";
          data = null;
        } else if (line.startsWith(":")) {
          connected.countDown();
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line, 6, line.length());
        }
      }
    } catch (IOException e) {
      // closed by close() or by the server
    } finally {
      ended = true;
    }
  }

  /** Frames received so far, by event type. */
  public Map<String, Long> framesByType() {
    Map<String, Long> out = new java.util.TreeMap<>();
    framesByType.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** True once the stream ended (the server closed it, e.g. a client that fell behind). */
  public boolean ended() {
    return ended;
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
