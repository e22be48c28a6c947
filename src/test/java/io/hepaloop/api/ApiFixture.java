package io.hepaloop.api;

import io.hepaloop.audit.AuditTrail;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import io.hepaloop.users.ApiTokens;
import io.hepaloop.users.PasswordHasher;
import io.hepaloop.users.Role;
import io.hepaloop.users.Sessions;
import io.hepaloop.users.Users;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real API server on a loopback port over a real database in a temporary directory, on a manual
 * clock (so tests expire sessions and lockouts by stepping it, never by sleeping), with cheap
 * password hashes; and a small HTTP client that keeps a session cookie and CSRF token per user.
 */
final class ApiFixture implements AutoCloseable {
  static final String PASSWORD = "correct horse battery";

  final ManualClock clock = new ManualClock();
  final Store store;
  final Users users;
  final ApiSecurity security;
  final Vertx vertx;
  final HttpApi api;
  final HttpClient http;
  final String base;
  final AuditTrail audit;

  ApiFixture(Path dir, ApiSecurity.Tls tls, HttpClient client) {
    this(dir, tls, client, null);
  }

  /** With an audit trail in {@code dir} and e-signatures in {@code esign} mode (null: no trail). */
  ApiFixture(Path dir, AuditSignatures.Mode esign) {
    this(dir, null, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build(), esign);
  }

  private ApiFixture(Path dir, ApiSecurity.Tls tls, HttpClient client, AuditSignatures.Mode esign) {
    store = Store.open(dir);
    users = new Users(store, clock, new PasswordHasher(new PasswordHasher.Params(256, 1, 1)));
    audit = esign == null ? null : AuditTrail.open(store, clock);
    security =
        new ApiSecurity(
            users,
            new Sessions(store, clock, Sessions.Policy.DEFAULT),
            new ApiTokens(store, clock),
            clock,
            tls,
            false,
            audit,
            esign == null ? AuditSignatures.Mode.RESEARCH : esign);
    vertx = Vertx.vertx();
    api = new HttpApi(Metrics.prometheus(), "127.0.0.1", 0, security);
    vertx.deployVerticle(api).await();
    http = client;
    base = (tls == null ? "http" : "https") + "://127.0.0.1:" + api.actualPort();
  }

  ApiFixture(Path dir) {
    this(dir, null, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build());
  }

  @Override
  public void close() {
    vertx.close().await();
    security.close();
    store.close();
  }

  /** Adds a user that need not change their password. */
  void user(String name, Role role) {
    users.add(name, null, role, PASSWORD.toCharArray(), false);
  }

  /** A caller with a cookie and CSRF token once logged in, or a bearer token. */
  final class Client {
    String cookie;
    String csrf;
    String bearer;
    String authorization;

    Response login(String name, String password) {
      Response r =
          send("POST", "/api/login", new JsonObject().put("user", name).put("password", password));
      if (r.status == 200) {
        cookie = r.headers.firstValue("Set-Cookie").orElseThrow().split(";", 2)[0].split("=", 2)[1];
        csrf = r.json().getString("csrfToken");
      }
      return r;
    }

    Response send(String method, String path, Object body) {
      return raw(method, path, body == null ? null : body.toString(), true);
    }

    Response get(String path) {
      return send("GET", path, null);
    }

    /** A request with {@code body} as given, with or without the CSRF header. */
    Response raw(String method, String path, String body, boolean withCsrf) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      if (cookie != null) {
        b.header("Cookie", SessionGuard.COOKIE + "=" + cookie);
      }
      if (csrf != null && withCsrf) {
        b.header(SessionGuard.CSRF_HEADER, csrf);
      }
      if (bearer != null) {
        b.header("Authorization", "Bearer " + bearer);
      } else if (authorization != null) {
        b.header("Authorization", authorization);
      }
      try {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.headers(), r.body());
      } catch (Exception e) {
        throw new IllegalStateException(method + " " + path + ": " + e, e);
      }
    }
  }

  Client client() {
    return new Client();
  }

  /** A client logged in as {@code name} with {@link #PASSWORD}. */
  Client loggedIn(String name) {
    Client c = new Client();
    Response r = c.login(name, PASSWORD);
    if (r.status != 200) {
      throw new IllegalStateException("login " + name + ": " + r);
    }
    return c;
  }

  record Response(int status, java.net.http.HttpHeaders headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray array() {
      return new JsonArray(body);
    }

    String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /** Every row of the access tables, to show that a refused request changed nothing. */
  Map<String, String> snapshot() {
    return store.read(
        c -> {
          Map<String, String> out = new LinkedHashMap<>();
          for (String table : new String[] {"users", "api_sessions", "api_tokens"}) {
            StringBuilder rows = new StringBuilder();
            try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
              ResultSetMetaData m = r.getMetaData();
              while (r.next()) {
                for (int i = 1; i <= m.getColumnCount(); i++) {
                  rows.append(m.getColumnName(i)).append('=').append(r.getString(i)).append(' ');
                }
                rows.append('\n');
              }
            }
            out.put(table, rows.toString());
          }
          return out;
        });
  }
}
