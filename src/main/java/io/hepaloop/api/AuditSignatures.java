package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.Signature;
import io.hepaloop.time.Clock;
import io.hepaloop.time.SystemClock;
import io.hepaloop.users.LoginResult;
import io.hepaloop.users.PasswordRules;
import io.hepaloop.users.Users;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Electronic signatures of critical actions (21 CFR Part 11 in spirit; docs/api.md "Electronic
 * signatures"): the request carries {@code "signature": {"password": "...", "meaning":
 * "approved"}}, the server re-checks the password of the user who is acting (on the password
 * hashing pool, never the event loop) and builds the {@link Signature} with the user's printed
 * (display) name, the meaning and the time.
 *
 * <p>{@link Mode#STRICT} refuses a critical action ({@link AuditAction#critical()}) without a
 * signature; {@link Mode#RESEARCH} lets it through unsigned. A signature that is given is checked
 * in both modes, on any action. A wrong password counts towards the user's lockout like a failed
 * login: a signature prompt must not be a way to guess passwords.
 */
public final class AuditSignatures {
  /** Longest meaning ("approved", "reviewed", "performed") in characters. */
  public static final int MAX_MEANING = io.hepaloop.audit.AuditEntry.MAX_NAME;

  /** Whether critical actions need a signature. */
  public enum Mode {
    /** Critical actions need a signature (regulated work; the default of {@code serve}). */
    STRICT,
    /** Signatures are optional (development, research; the default of {@code demo}). */
    RESEARCH;

    /** The text typed and shown: "strict", "research". */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode named {@code id} (any case).
     *
     * @throws IllegalArgumentException naming the modes there are
     */
    public static Mode parse(String id) {
      for (Mode m : values()) {
        if (m.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "unknown e-signature mode '" + id + "'; modes: strict, research");
    }
  }

  /** A signature as given in a request; the password is never printed. */
  record Given(String password, String meaning) {
    @Override
    public String toString() {
      return "Given[meaning=" + meaning + "]";
    }
  }

  /**
   * What a check found: a signature (null when none was given and none is needed), or a refusal
   * with the HTTP status, the detail for the client and for the audit record, and for a lockout the
   * seconds to wait.
   */
  record Outcome(Signature signature, int status, String title, String detail, long retryAfterS) {
    static Outcome signed(Signature s) {
      return new Outcome(s, 0, null, null, 0);
    }

    static Outcome refused(String title, String detail) {
      return new Outcome(null, 403, title, detail, 0);
    }

    boolean ok() {
      return status == 0;
    }
  }

  private final Users users;
  private final Blocking blocking;
  private final Clock clock;
  private final Mode mode;

  AuditSignatures(Users users, Blocking blocking, Clock clock, Mode mode) {
    this.users = users;
    this.blocking = blocking;
    this.clock = clock;
    this.mode = mode;
  }

  /** No user database: signatures optional, and a given one is refused (nothing to check it by). */
  static AuditSignatures unchecked() {
    return new AuditSignatures(null, null, SystemClock.INSTANCE, Mode.RESEARCH);
  }

  Mode mode() {
    return mode;
  }

  /**
   * Reads the optional {@code signature} field of {@code body}: {@code out[0]} is null when there
   * is none. Returns false after answering 400 naming the field (not an object, a field missing,
   * blank or too long, an unknown field).
   */
  static boolean read(RoutingContext rc, JsonObject body, Given[] out) {
    out[0] = null;
    Object v = body.getValue("signature");
    if (v == null) {
      return true;
    }
    if (!(v instanceof JsonObject o)) {
      Problems.badField(
          rc, "signature", "must be an object {password, meaning}, got " + PlantInput.kind(v));
      return false;
    }
    for (String f : o.fieldNames()) {
      if (!Set.of("password", "meaning").contains(f)) {
        Problems.badField(rc, "signature." + f, "unknown field; allowed: meaning, password");
        return false;
      }
    }
    String password = text(rc, o, "password", PasswordRules.MAX_PASSWORD_LENGTH);
    if (password == null) {
      return false;
    }
    String meaning = text(rc, o, "meaning", MAX_MEANING);
    if (meaning == null) {
      return false;
    }
    out[0] = new Given(password, meaning.strip());
    return true;
  }

  private static String text(RoutingContext rc, JsonObject o, String field, int max) {
    Object v = o.getValue(field);
    String name = "signature." + field;
    if (!(v instanceof String s) || s.isBlank()) {
      Problems.badField(
          rc,
          name,
          v == null
              ? "is required (a string)"
              : "must be a non-empty string, got " + PlantInput.kind(v));
      return null;
    }
    if (s.length() > max) {
      Problems.badField(rc, name, "is " + s.length() + " characters long; at most " + max);
      return null;
    }
    return s;
  }

  /**
   * Checks the signature {@code given} (may be null) for {@code action} by {@code caller}. Never
   * blocks: the password is checked on the hashing pool.
   */
  Future<Outcome> check(ApiCaller caller, AuditAction action, Given given) {
    if (given == null) {
      if (action.critical() && mode == Mode.STRICT) {
        return Future.succeededFuture(
            Outcome.refused(
                "Signature required",
                action.id()
                    + " is a critical action: in strict mode it needs an electronic signature"
                    + " (signature: {password, meaning}); nothing was changed"));
      }
      return Future.succeededFuture(Outcome.signed(null));
    }
    if (users == null || blocking == null) {
      return Future.succeededFuture(
          Outcome.refused(
              "Signature refused",
              "this server has no user database to check a signature against; nothing was"
                  + " changed"));
    }
    return blocking.hashing(
        () -> {
          char[] secret = given.password().toCharArray();
          try {
            return outcome(users.verify(caller.userName(), secret), given.meaning());
          } finally {
            Arrays.fill(secret, '\0');
          }
        });
  }

  private Outcome outcome(LoginResult r, String meaning) {
    switch (r.outcome()) {
      case OK -> {
        String printed = r.user().displayName();
        return Outcome.signed(
            new Signature(
                printed == null || printed.isBlank() ? r.user().name() : printed,
                meaning,
                clock.now()));
      }
      case LOCKED -> {
        long s = Math.max(1, Duration.between(clock.now(), r.lockedUntil()).toSeconds());
        return new Outcome(
            null,
            429,
            "Too Many Requests",
            "signature refused: account locked after repeated wrong passwords until "
                + r.lockedUntil()
                + "; nothing was changed",
            s);
      }
      default -> {
        return Outcome.refused(
            "Signature refused",
            "signature refused: wrong password for the signing user; nothing was changed");
      }
    }
  }

  /** Answers a refused signature as problem+json naming {@code signature}. */
  static void answer(RoutingContext rc, Outcome o) {
    if (o.retryAfterS() > 0) {
      rc.response().putHeader("Retry-After", Long.toString(o.retryAfterS()));
    }
    Problems.send(
        rc, o.status(), o.title(), o.detail(), new Problems.FieldError("signature", o.detail()));
  }
}
