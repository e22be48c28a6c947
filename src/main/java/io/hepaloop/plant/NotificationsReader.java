package io.hepaloop.plant;

import static io.hepaloop.profile.YamlDocument.child;
import static io.hepaloop.profile.YamlDocument.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepaloop.profile.Problem;
import io.hepaloop.profile.YamlDocument;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and checks the plant configuration's {@code notifications:} section (the schema has already
 * checked types and ranges): webhook URLs, secrets read from the environment or a file (never
 * written inline), the mail server's credentials, contact names unique and known to the escalation.
 * Secrets are read now, so a missing one is found at load, not when the first alarm needs it.
 */
final class NotificationsReader {
  /** {@code WebhookNotifier} refuses a shorter HMAC key. */
  static final int MIN_SECRET_CHARS = 16;

  /** A secret file larger than this is not a secret. */
  private static final long MAX_SECRET_BYTES = 4096;

  private static final List<String> ALL = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW");

  private final YamlDocument doc;
  private final Path baseDir;
  private final Function<String, String> env;
  private final List<Problem> problems;

  NotificationsReader(
      YamlDocument doc, Path baseDir, Function<String, String> env, List<Problem> problems) {
    this.doc = doc;
    this.baseDir = baseDir;
    this.env = env;
    this.problems = problems;
  }

  NotificationsConfig read(JsonNode n) {
    if (!n.isObject()) {
      return NotificationsConfig.none();
    }
    inlineSecrets(n, "notifications");
    NotificationsConfig.Retry retry = retry(n.path("retry"));
    List<NotificationsConfig.Webhook> webhooks = new ArrayList<>();
    JsonNode hooks = n.path("webhooks");
    for (int i = 0; i < hooks.size(); i++) {
      NotificationsConfig.Webhook w = webhook(hooks.get(i), index("notifications.webhooks", i));
      if (w != null) {
        webhooks.add(w);
      }
    }
    NotificationsConfig.Smtp smtp = smtp(n.path("smtp"));
    Map<String, String> names = new HashMap<>();
    List<NotificationsConfig.Contact> contacts = new ArrayList<>();
    JsonNode people = n.path("contacts");
    for (int i = 0; i < people.size(); i++) {
      JsonNode c = people.get(i);
      String path = index("notifications.contacts", i);
      if (!c.isObject() || !c.path("name").isTextual() || !c.path("email").isTextual()) {
        continue;
      }
      String name = c.path("name").asText();
      String previous = names.putIfAbsent(name, path);
      if (previous != null) {
        problems.add(
            doc.problem(
                child(path, "name"),
                "duplicate contact name '"
                    + name
                    + "' (also "
                    + previous
                    + " at line "
                    + doc.lineOf(previous)
                    + ")"));
      }
      contacts.add(
          new NotificationsConfig.Contact(
              name, c.path("email").asText(), priorities(c.path("priorities"), path)));
    }
    if (!contacts.isEmpty() && !n.has("smtp")) {
      problems.add(
          doc.problem(
              "notifications.contacts",
              "contacts are reached by e-mail, but there is no smtp section naming the mail server"));
    }
    NotificationsConfig.Escalation escalation = escalation(n.path("escalation"), names);
    return new NotificationsConfig(webhooks, smtp, contacts, escalation, retry);
  }

  /** {@code secret:} anywhere is refused with the fix (a password is refused by the plant). */
  private void inlineSecrets(JsonNode node, String path) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                String p = child(path, e.getKey());
                if (e.getKey().equalsIgnoreCase("secret")) {
                  problems.add(
                      doc.problem(
                          p,
                          "a secret must never be written in a file: remove it and set secretEnv "
                              + "(the environment variable that holds it) or secretFile (a file "
                              + "outside version control)"));
                }
                inlineSecrets(e.getValue(), p);
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        inlineSecrets(node.get(i), index(path, i));
      }
    }
  }

  private NotificationsConfig.Retry retry(JsonNode r) {
    NotificationsConfig.Retry d = NotificationsConfig.Retry.DEFAULT;
    if (!r.isObject()) {
      return d;
    }
    Duration first =
        r.path("firstS").isNumber() ? seconds(r.path("firstS").doubleValue()) : d.firstRetry();
    Duration max = r.path("maxS").isNumber() ? seconds(r.path("maxS").doubleValue()) : d.maxRetry();
    int queued = r.path("maxQueued").isInt() ? r.path("maxQueued").intValue() : d.maxQueued();
    if (max.compareTo(first) < 0) {
      problems.add(
          doc.problem(
              "notifications.retry.maxS",
              "the longest retry delay ("
                  + max.toMillis() / 1000.0
                  + " s) must not be shorter than the first ("
                  + first.toMillis() / 1000.0
                  + " s)"));
    }
    return new NotificationsConfig.Retry(first, max, queued);
  }

  private NotificationsConfig.Webhook webhook(JsonNode w, String path) {
    if (!w.isObject() || !w.path("url").isTextual()) {
      return null;
    }
    URI url = url(w.path("url").asText(), child(path, "url"));
    String secret = secret(w, path, "secretEnv", "secretFile", "the webhook's HMAC key", true);
    Duration timeout =
        w.path("timeoutS").isNumber()
            ? seconds(w.path("timeoutS").doubleValue())
            : Duration.ofSeconds(10);
    if (url == null || secret == null) {
      return null;
    }
    return new NotificationsConfig.Webhook(
        url, secret, priorities(w.path("priorities"), path), timeout);
  }

  private URI url(String text, String path) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problems.add(doc.problem(path, "'" + text + "' is not an http:// or https:// URL"));
        return null;
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        problems.add(doc.problem(path, "'" + text + "' names no host"));
        return null;
      }
      if (uri.getUserInfo() != null) {
        problems.add(
            doc.problem(
                path,
                "'"
                    + text.replace(uri.getRawUserInfo(), "***")
                    + "' carries credentials: the webhook is authenticated by its HMAC secret, "
                    + "and the URL would be logged"));
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      problems.add(doc.problem(path, "'" + text + "' is not a valid URL: " + e.getReason()));
      return null;
    }
  }

  private NotificationsConfig.Smtp smtp(JsonNode s) {
    if (!s.isObject() || !s.path("host").isTextual() || !s.path("from").isTextual()) {
      return null;
    }
    String path = "notifications.smtp";
    String user = s.path("user").isTextual() ? s.path("user").asText() : null;
    boolean hasPassword = s.has("passwordEnv") || s.has("passwordFile");
    String password = null;
    if (user != null && !hasPassword) {
      problems.add(
          doc.problem(
              child(path, "user"),
              "user '"
                  + user
                  + "' needs passwordFile (a file outside version control) or passwordEnv (an "
                  + "environment variable) holding the password"));
    } else if (user == null && hasPassword) {
      problems.add(
          doc.problem(
              child(path, s.has("passwordFile") ? "passwordFile" : "passwordEnv"),
              "a password without user: set user, or remove it for an open relay"));
    } else if (user != null) {
      password = secret(s, path, "passwordEnv", "passwordFile", "the SMTP password", false);
    }
    int port = s.path("port").isInt() ? s.path("port").intValue() : 587;
    boolean startTls = !s.path("startTls").isBoolean() || s.path("startTls").booleanValue();
    if (startTls && port == 465) {
      problems.add(
          doc.problem(
              child(path, "port"),
              "465 is the implicit-TLS port, but startTls is true: use 587 for STARTTLS"));
    }
    return new NotificationsConfig.Smtp(
        s.path("host").asText(), port, startTls, s.path("from").asText(), user, password);
  }

  /**
   * The secret named by {@code envKey} or {@code fileKey} (exactly one); null, with a problem, when
   * it cannot be read.
   */
  private String secret(
      JsonNode node, String path, String envKey, String fileKey, String what, boolean hmacKey) {
    boolean hasEnv = node.path(envKey).isTextual();
    boolean hasFile = node.path(fileKey).isTextual();
    if (!hasEnv && !hasFile && node.has("secret")) {
      return null; // the inline secret is reported, with the fix
    }
    if (hasEnv == hasFile) {
      problems.add(
          doc.problem(
              hasEnv ? child(path, fileKey) : path,
              hasEnv
                  ? "give " + envKey + " or " + fileKey + ", not both"
                  : what
                      + " is needed: set "
                      + envKey
                      + " (an environment variable) or "
                      + fileKey
                      + " (a file outside version control)"));
      return null;
    }
    String value;
    String at;
    if (hasEnv) {
      at = child(path, envKey);
      String name = node.path(envKey).asText();
      value = env.apply(name);
      if (value == null || value.isEmpty()) {
        problems.add(
            doc.problem(at, "environment variable " + name + " is not set; it must hold " + what));
        return null;
      }
    } else {
      at = child(path, fileKey);
      Path file = baseDir.resolve(node.path(fileKey).asText()).normalize();
      try {
        if (!Files.isRegularFile(file)) {
          problems.add(
              doc.problem(
                  at,
                  "no file "
                      + file
                      + " ("
                      + what
                      + "; paths are relative to the configuration file)"));
          return null;
        }
        if (Files.size(file) > MAX_SECRET_BYTES) {
          problems.add(
              doc.problem(
                  at, file + " is over " + MAX_SECRET_BYTES + " bytes: that is not " + what));
          return null;
        }
        value = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException | RuntimeException e) {
        problems.add(doc.problem(at, "cannot read " + file + ": " + e.getMessage()));
        return null;
      }
      if (value.isEmpty()) {
        problems.add(doc.problem(at, file + " is empty; it must hold " + what));
        return null;
      }
    }
    if (hmacKey && value.length() < MIN_SECRET_CHARS) {
      problems.add(
          doc.problem(
              at,
              what
                  + " has "
                  + value.length()
                  + " characters; it must have at least "
                  + MIN_SECRET_CHARS
                  + " (it signs every notification)"));
      return null;
    }
    return value;
  }

  private NotificationsConfig.Escalation escalation(JsonNode e, Map<String, String> names) {
    if (!e.isObject() || !e.path("afterMinutes").isNumber() || !e.path("contacts").isArray()) {
      return null;
    }
    String path = "notifications.escalation";
    List<String> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    JsonNode list = e.path("contacts");
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isTextual()) {
        continue;
      }
      String name = list.get(i).asText();
      String at = index(child(path, "contacts"), i);
      if (!names.containsKey(name)) {
        problems.add(
            doc.problem(
                at,
                "no contact named '"
                    + name
                    + "' (contacts: "
                    + (names.isEmpty()
                        ? "none"
                        : String.join(", ", new java.util.TreeSet<>(names.keySet())))
                    + ")"));
      } else if (!seen.add(name)) {
        problems.add(
            doc.problem(at, "'" + name + "' is already in the chain: each contact once, in order"));
      } else {
        chain.add(name);
      }
    }
    double minutes = e.path("afterMinutes").doubleValue();
    return new NotificationsConfig.Escalation(
        Duration.ofMillis(Math.round(minutes * 60_000)), chain);
  }

  /** Upper-case priority names; all four when the list is absent. */
  private List<String> priorities(JsonNode list, String path) {
    if (!list.isArray()) {
      return ALL;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode p : list) {
      if (p.isTextual()) {
        String name = p.asText().toUpperCase(Locale.ROOT);
        if (ALL.contains(name) && !out.contains(name)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }
}
