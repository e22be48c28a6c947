package io.hepaloop.telemetry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * The InfluxDB v1 HTTP API ({@code /write}, {@code /query}) over the JDK HTTP client.
 *
 * <p>Why not influxdb-java for writes: its batch mode drops the oldest points silently when the
 * server is down, and its synchronous write reports errors by parsing message text; the spool needs
 * the exact status code (5xx/IO → retry later, 400 → quarantine) and its own timeout. Tests verify
 * with influxdb-java, an independent client. See docs/decisions/0002-telemetry-write-path.md.
 */
public final class InfluxHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Status code and body of a write; status -1 when the server could not be reached. */
  public record WriteOutcome(int status, String body) {
    public boolean ok() {
      return status / 100 == 2;
    }

    /** Bad data: retrying the same bytes can never succeed. */
    public boolean badData() {
      return status == 400 || status == 422;
    }

    public boolean databaseMissing() {
      return status == 404 && body != null && body.contains("database not found");
    }
  }

  private final InfluxConfig config;
  private final HttpClient client;
  private final Duration timeout;
  private final String authHeader;

  public InfluxHttp(InfluxConfig config, Duration timeout) {
    this.config = config;
    this.timeout = timeout;
    HttpClient.Builder cb =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2));
    if (config.tls() && config.caCertificate() != null) {
      cb.sslContext(PemTrust.sslContextTrusting(config.caCertificate()));
    }
    this.client = cb.build();
    if (config.token() != null && !config.token().isBlank()) {
      authHeader = "Token " + config.token();
    } else if (config.username() != null && !config.username().isBlank()) {
      String up = config.username() + ":" + (config.password() == null ? "" : config.password());
      authHeader =
          "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
    } else {
      authHeader = null;
    }
  }

  public InfluxConfig config() {
    return config;
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(config.url() + pathAndQuery)).timeout(timeout);
    if (authHeader != null) {
      b.header("Authorization", authHeader);
    }
    return b;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * POSTs line protocol (nanosecond timestamps) into the configured database and retention policy.
   */
  public WriteOutcome write(byte[] lineProtocol) {
    return write(config.retentionPolicy(), lineProtocol);
  }

  public WriteOutcome write(String retentionPolicy, byte[] lineProtocol) {
    String q =
        "/write?db="
            + enc(config.database())
            + "&precision=ns"
            + (retentionPolicy == null ? "" : "&rp=" + enc(retentionPolicy));
    try {
      HttpResponse<String> r =
          client.send(
              request(q)
                  .header("Content-Type", "text/plain; charset=utf-8")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(lineProtocol))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new WriteOutcome(r.statusCode(), r.body());
    } catch (IOException e) {
      return new WriteOutcome(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new WriteOutcome(-1, "interrupted");
    }
  }

  public boolean ping() {
    try {
      return client
              .send(request("/ping").GET().build(), HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 204;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs InfluxQL (POST, so statements that change things work) and returns the JSON answer.
   *
   * @throws InfluxException when the server cannot be reached, answers non-2xx, or a statement
   *     errors
   */
  public JsonNode query(String influxQl) {
    try {
      HttpResponse<String> r =
          client.send(
              request("/query?db=" + enc(config.database()) + "&epoch=ns")
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("q=" + enc(influxQl)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new InfluxException(
            "query failed with HTTP "
                + r.statusCode()
                + ": "
                + r.body()
                + " (query: "
                + influxQl
                + ")");
      }
      JsonNode n = JSON.readTree(r.body());
      checkErrors(n, influxQl);
      return n;
    } catch (IOException e) {
      throw new InfluxException("InfluxDB at " + config.url() + " unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfluxException("interrupted", e);
    }
  }

  /**
   * Streams a SELECT with {@code chunked=true}: each chunk (at most {@code chunkSize} rows per
   * series) is handed to {@code onChunk} as it arrives, so memory stays bounded whatever the result
   * size.
   */
  public void queryChunked(String influxQl, int chunkSize, Consumer<JsonNode> onChunk) {
    try {
      HttpResponse<InputStream> r =
          client.send(
              request(
                      "/query?db="
                          + enc(config.database())
                          + "&epoch=ns&chunked=true&chunk_size="
                          + chunkSize
                          + "&q="
                          + enc(influxQl))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        if (r.statusCode() / 100 != 2) {
          throw new InfluxException(
              "query failed with HTTP "
                  + r.statusCode()
                  + ": "
                  + new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        JsonParser p = JSON.getFactory().createParser(in);
        try (MappingIterator<JsonNode> it = JSON.readValues(p, JsonNode.class)) {
          while (it.hasNext()) {
            JsonNode chunk = it.next();
            checkErrors(chunk, influxQl);
            onChunk.accept(chunk);
          }
        }
      }
    } catch (IOException e) {
      throw new InfluxException("InfluxDB at " + config.url() + " unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfluxException("interrupted", e);
    }
  }

  private static void checkErrors(JsonNode n, String q) {
    if (n.has("error")) {
      throw new InfluxException(
          "InfluxDB error: " + n.get("error").asText() + " (query: " + q + ")");
    }
    for (JsonNode res : n.path("results")) {
      if (res.has("error")) {
        throw new InfluxException(
            "InfluxDB error: " + res.get("error").asText() + " (query: " + q + ")");
      }
    }
  }

  /** Failure talking to InfluxDB or an InfluxQL error. */
  public static final class InfluxException extends RuntimeException {
    public InfluxException(String message) {
      super(message);
    }

    public InfluxException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
