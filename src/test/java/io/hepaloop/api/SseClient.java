package io.hepaloop.api;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Reads an SSE stream on a thread of its own into a list of events, so tests wait on conditions.
 */
final class SseClient implements AutoCloseable {
  /** One event as received. */
  record Event(Long id, String type, String data) {
    JsonObject json() {
      return new JsonObject(data);
    }
  }

  final List<Event> events = new CopyOnWriteArrayList<>();
  final int status;
  private final Thread reader;
  private final java.io.InputStream body;
  volatile boolean ended;
  final java.util.concurrent.atomic.AtomicInteger comments =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * @param lastEventId sent as {@code Last-Event-ID}, or null
   */
  SseClient(HttpClient http, String base, String role, Long lastEventId) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/api/stream"))
            .header("Accept", "text/event-stream");
    if (role != null) {
      b.header(TestRoleGuard.ROLE, role);
    }
    if (lastEventId != null) {
      b.header("Last-Event-ID", String.valueOf(lastEventId));
    }
    HttpResponse<java.io.InputStream> r =
        http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    status = r.statusCode();
    body = r.body();
    reader = new Thread(this::read, "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      Long id = null;
      String type = "message";
      StringBuilder data = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(id, type, data.toString()));
          }
          id = null;
          type = "message";
          data = null;
        } else if (line.startsWith(":")) {
          comments.incrementAndGet();
        } else if (line.startsWith("id: ")) {
          id = Long.parseLong(line.substring(4));
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line.substring(6));
        }
      }
    } catch (Exception e) {
      // closed by the test or the server
    } finally {
      ended = true;
    }
  }

  List<Event> of(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }

  /** Waits until an event satisfies {@code p} and returns it. */
  Event await(Predicate<Event> p) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(p));
    return events.stream().filter(p).findFirst().orElseThrow();
  }

  Long lastId() {
    Long last = null;
    for (Event e : events) {
      if (e.id() != null) {
        last = e.id();
      }
    }
    return last;
  }

  @Override
  public void close() throws java.io.IOException {
    body.close();
  }
}
