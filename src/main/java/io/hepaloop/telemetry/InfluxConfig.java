package io.hepaloop.telemetry;

import java.util.Map;
import java.util.Objects;

/**
 * Where telemetry goes. Credentials come from the environment only (never a committed file).
 *
 * @param url base URL of the InfluxDB v1 HTTP API, e.g. {@code http://127.0.0.1:8086}
 * @param database database name (created at start-up when missing)
 * @param retentionPolicy raw retention policy the writer writes into (created at start-up, made
 *     default)
 * @param rawRetention duration of the raw policy in InfluxQL syntax ({@code 30d}, {@code INF})
 * @param rollupRetention duration of the 1-minute downsampled policy {@code rollup_1m}
 * @param username user for basic auth, or null
 * @param password password for basic auth, or null
 * @param token API token ({@code Authorization: Token ...}, InfluxDB 1.8+/2.x compatibility API),
 *     or null
 * @param tls true for https; the URL scheme is switched accordingly
 * @param caCertificate PEM file with the CA (or self-signed server certificate) to trust for https,
 *     or null for the JVM's default trust store
 */
public record InfluxConfig(
    String url,
    String database,
    String retentionPolicy,
    String rawRetention,
    String rollupRetention,
    String username,
    String password,
    String token,
    boolean tls,
    java.nio.file.Path caCertificate) {

  /** Name of the downsampled retention policy (1-minute mean/min/max). */
  public static final String ROLLUP_RP = "rollup_1m";

  public InfluxConfig {
    Objects.requireNonNull(url, "url");
    database = database == null || database.isBlank() ? "hepaloop" : database;
    retentionPolicy =
        retentionPolicy == null || retentionPolicy.isBlank() ? "raw" : retentionPolicy;
    rawRetention = rawRetention == null || rawRetention.isBlank() ? "30d" : rawRetention;
    rollupRetention =
        rollupRetention == null || rollupRetention.isBlank() ? "INF" : rollupRetention;
    if (tls && url.startsWith("http://")) {
      url = "https://" + url.substring("http://".length());
    } else if (!tls && url.startsWith("https://")) {
      tls = true;
    }
    if (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
  }

  /** Without a CA file (the JVM's default trust store for https). */
  public InfluxConfig(
      String url,
      String database,
      String retentionPolicy,
      String rawRetention,
      String rollupRetention,
      String username,
      String password,
      String token,
      boolean tls) {
    this(
        url,
        database,
        retentionPolicy,
        rawRetention,
        rollupRetention,
        username,
        password,
        token,
        tls,
        null);
  }

  /** Plain config for a local server without auth (tests, demo). */
  public static InfluxConfig local(String url, String database) {
    return new InfluxConfig(url, database, null, null, null, null, null, null, false);
  }

  /**
   * From environment variables: {@code HEPALOOP_INFLUX_URL} (default {@code
   * http://127.0.0.1:8086}), {@code HEPALOOP_INFLUX_DB}, {@code HEPALOOP_INFLUX_RP}, {@code
   * HEPALOOP_INFLUX_RAW_RETENTION}, {@code HEPALOOP_INFLUX_ROLLUP_RETENTION}, {@code
   * HEPALOOP_INFLUX_USER}, {@code HEPALOOP_INFLUX_PASSWORD}, {@code HEPALOOP_INFLUX_TOKEN}, {@code
   * HEPALOOP_INFLUX_TLS} (true/false), {@code HEPALOOP_INFLUX_CA} (PEM file of the CA to trust for
   * https).
   */
  public static InfluxConfig fromEnv(Map<String, String> env) {
    return new InfluxConfig(
        env.getOrDefault("HEPALOOP_INFLUX_URL", "http://127.0.0.1:8086"),
        env.get("HEPALOOP_INFLUX_DB"),
        env.get("HEPALOOP_INFLUX_RP"),
        env.get("HEPALOOP_INFLUX_RAW_RETENTION"),
        env.get("HEPALOOP_INFLUX_ROLLUP_RETENTION"),
        env.get("HEPALOOP_INFLUX_USER"),
        env.get("HEPALOOP_INFLUX_PASSWORD"),
        env.get("HEPALOOP_INFLUX_TOKEN"),
        Boolean.parseBoolean(env.getOrDefault("HEPALOOP_INFLUX_TLS", "false")),
        env.get("HEPALOOP_INFLUX_CA") == null || env.get("HEPALOOP_INFLUX_CA").isBlank()
            ? null
            : java.nio.file.Path.of(env.get("HEPALOOP_INFLUX_CA")));
  }

  public InfluxConfig withUrl(String newUrl) {
    return new InfluxConfig(
        newUrl,
        database,
        retentionPolicy,
        rawRetention,
        rollupRetention,
        username,
        password,
        token,
        tls,
        caCertificate);
  }

  public InfluxConfig withDatabase(String db) {
    return new InfluxConfig(
        url,
        db,
        retentionPolicy,
        rawRetention,
        rollupRetention,
        username,
        password,
        token,
        tls,
        caCertificate);
  }

  /** Never prints secrets. */
  @Override
  public String toString() {
    return "InfluxConfig[url="
        + url
        + ", database="
        + database
        + ", rp="
        + retentionPolicy
        + ", auth="
        + (token != null ? "token" : username != null ? "user " + username : "none")
        + (caCertificate != null ? ", ca=" + caCertificate : "")
        + "]";
  }
}
