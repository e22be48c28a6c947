package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditEntry;
import io.hepaloop.audit.AuditRecord;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.audit.Signature;
import io.hepaloop.core.ActiveRuns;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the API's routes append audit records (docs/audit.md, "What the API records"): each human
 * action, once applied or refused, becomes one {@link AuditEntry} queued on the {@link AuditTrail}
 * with {@link AuditTrail#enqueue}, which never blocks, so routes call it on the event loop. The run
 * the plant continues is added to every record; the trail stamps the time.
 *
 * <p>A record that cannot be written (disk failure, trail already closed at shutdown) cannot undo
 * the action it describes; it is logged as an error naming the action. Routes answer once the
 * record is committed: an applied action through {@link #answerOnceRecorded}, which gives 500
 * problem+json when its record failed; a refusal through {@link #thenAnswer}, which gives the
 * refusal either way (nothing was done). Without a trail ({@link #none()}: tests of other features)
 * nothing is recorded.
 */
public final class AuditRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(AuditRecorder.class);

  /** What a refused action's new value starts with, before the value that was asked for. */
  public static final String REFUSED = "refused: ";

  private final AuditTrail trail;
  private final Function<AuditEntry, CompletableFuture<AuditRecord>> sink;
  private final String runId;
  private final AuditSignatures signatures;
  private volatile ActiveRuns activeRuns = ActiveRuns.NONE;

  /**
   * @param trail where records go; null records nothing
   * @param runId the run the plant continues, added to every record; null outside a run
   * @param signatures how electronic signatures of critical actions are checked
   */
  AuditRecorder(AuditTrail trail, String runId, AuditSignatures signatures) {
    this(trail, trail == null ? null : trail::enqueue, runId, signatures);
  }

  /**
   * Records to {@code sink} instead of a trail: tests that decide when (and whether) a record is
   * committed, to see that a route answers only after.
   */
  static AuditRecorder recordingTo(
      Function<AuditEntry, CompletableFuture<AuditRecord>> sink,
      String runId,
      AuditSignatures signatures) {
    return new AuditRecorder(null, sink, runId, signatures);
  }

  private AuditRecorder(
      AuditTrail trail,
      Function<AuditEntry, CompletableFuture<AuditRecord>> sink,
      String runId,
      AuditSignatures signatures) {
    this.trail = trail;
    this.sink = sink;
    this.runId = runId;
    this.signatures = signatures;
  }

  /** Records nothing and takes signatures as optional (route tests without a database). */
  public static AuditRecorder none() {
    return new AuditRecorder(null, null, AuditSignatures.unchecked());
  }

  /**
   * Which run each reactor grows: a record whose target names a reactor ({@code r1/temperature},
   * {@code r1/do_low}, {@code r1}) carries that reactor's open run instead of the plant's run id.
   */
  public void useActiveRuns(ActiveRuns runs) {
    activeRuns = runs == null ? ActiveRuns.NONE : runs;
  }

  /**
   * The run a record on {@code target} belongs to: the open run of the reactor the target starts
   * with, else the plant's run id (null outside a run).
   */
  String runIdFor(String target) {
    if (target != null && !target.isBlank()) {
      int slash = target.indexOf('/');
      String reactor = slash < 0 ? target : target.substring(0, slash);
      String open = activeRuns.runIdOf(reactor);
      if (open != null) {
        return open;
      }
    }
    return runId;
  }

  /** How critical actions' signatures are checked. */
  AuditSignatures signatures() {
    return signatures;
  }

  /** The trail records go to; null when none is kept (the audit viewer answers 503 then). */
  AuditTrail trail() {
    return trail;
  }

  /** True when records are kept. */
  public boolean recording() {
    return sink != null;
  }

  /** Records what {@code caller} did (applied, or refused with {@link #REFUSED} values). */
  CompletableFuture<AuditRecord> record(
      ApiCaller caller,
      AuditAction action,
      String target,
      String oldValue,
      String newValue,
      String reason,
      Signature signature) {
    return record(
        caller.userName(),
        caller.role().id(),
        action,
        target,
        oldValue,
        newValue,
        reason,
        signature);
  }

  /**
   * Records an action of {@code user} (for a failed login: the name typed, role null). Values
   * longer than the trail takes are cut, marked with "...", rather than the record lost.
   */
  CompletableFuture<AuditRecord> record(
      String user,
      String role,
      AuditAction action,
      String target,
      String oldValue,
      String newValue,
      String reason,
      Signature signature) {
    return record(
        user, role, action, target, oldValue, newValue, reason, signature, runIdFor(target));
  }

  /** Records what {@code caller} did to run {@code forRunId} (the record's run id). */
  CompletableFuture<AuditRecord> recordForRun(
      ApiCaller caller,
      String forRunId,
      AuditAction action,
      String oldValue,
      String newValue,
      String reason,
      Signature signature) {
    return record(
        caller.userName(),
        caller.role().id(),
        action,
        forRunId,
        oldValue,
        newValue,
        reason,
        signature,
        forRunId);
  }

  /**
   * Records what {@code caller} did to run {@code inRun} (a lab result of that run), whichever run
   * the plant continues.
   */
  CompletableFuture<AuditRecord> recordInRun(
      ApiCaller caller,
      String inRun,
      AuditAction action,
      String target,
      String oldValue,
      String newValue,
      String reason) {
    return record(
        caller.userName(),
        caller.role().id(),
        action,
        target,
        oldValue,
        newValue,
        reason,
        null,
        inRun);
  }

  private CompletableFuture<AuditRecord> record(
      String user,
      String role,
      AuditAction action,
      String target,
      String oldValue,
      String newValue,
      String reason,
      Signature signature,
      String recordRunId) {
    if (sink == null) {
      return CompletableFuture.completedFuture(null);
    }
    AuditEntry entry;
    try {
      entry =
          new AuditEntry(
              clip(user == null || user.isBlank() ? "(none)" : user, AuditEntry.MAX_NAME),
              clip(role, AuditEntry.MAX_NAME),
              action,
              clip(target, AuditEntry.MAX_NAME),
              clip(oldValue, AuditEntry.MAX_TEXT),
              clip(newValue, AuditEntry.MAX_TEXT),
              clip(reason, AuditEntry.MAX_TEXT),
              clip(recordRunId, AuditEntry.MAX_NAME),
              signature);
    } catch (IllegalArgumentException e) {
      LOG.error(
          "audit record of {} on {} by {} not made: {}", action.id(), target, user, e.getMessage());
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<AuditRecord> written = sink.apply(entry);
    written.whenComplete(
        (r, failure) -> {
          if (failure != null) {
            LOG.error(
                "audit record of {} on {} by {} not written: {}",
                action.id(),
                target,
                entry.user(),
                failure.getMessage());
          }
        });
    return written;
  }

  /**
   * Runs {@code answer} once every record in {@code written} is committed or has failed, on the
   * Vert.x context of the caller (the route's), never blocking it. A route answers an action only
   * after its record is durable, so an action the client saw answered is in the trail even when the
   * process is killed the next instant (issue 9, kill -9 restart); a record that failed is logged
   * by {@link #record} and the answer still goes. For refusals only: an applied action answers
   * through {@link #answerOnceRecorded}, so a client never takes an unrecorded action as recorded.
   */
  static void thenAnswer(List<CompletableFuture<AuditRecord>> written, Runnable answer) {
    Context context = Vertx.currentContext();
    CompletableFuture.allOf(written.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ignored, failure) -> {
              if (context == null) {
                answer.run();
              } else {
                context.runOnContext(v -> answer.run());
              }
            });
  }

  /**
   * Like {@link #thenAnswer}, but strict about the record: once every record in {@code written} is
   * committed, runs {@code answer}; when one could not be written, answers 500 problem+json instead
   * (the action was carried out, but the client must not take it as recorded; {@link #record} has
   * logged the cause). Never blocks; runs on the route's context.
   */
  static void answerOnceRecorded(
      RoutingContext rc, List<CompletableFuture<AuditRecord>> written, Runnable answer) {
    Context context = Vertx.currentContext();
    CompletableFuture.allOf(written.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ignored, failure) -> {
              Runnable then = failure == null ? answer : () -> notRecorded(rc);
              if (context == null) {
                then.run();
              } else {
                context.runOnContext(v -> then.run());
              }
            });
  }

  /** {@link #answerOnceRecorded} for one record. */
  static void answerOnceRecorded(
      RoutingContext rc, CompletableFuture<AuditRecord> written, Runnable answer) {
    answerOnceRecorded(rc, List.of(written), answer);
  }

  private static void notRecorded(RoutingContext rc) {
    Problems.send(
        rc,
        500,
        "Audit record not written",
        rc.request().method()
            + " "
            + rc.request().path()
            + " was carried out, but its audit record could not be written (the server's log"
            + " names the cause); check the audit trail before repeating it");
  }

  /** The new value of a refused action: {@code refused: <what was asked>}. */
  static String refused(String requested) {
    return REFUSED + (requested == null ? "" : requested);
  }

  /** A refusal's reason, with the user's comment when there is one. */
  static String because(String why, String comment) {
    return comment == null ? why : why + "; comment: " + comment;
  }

  private static String clip(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    return s.substring(0, max - 3) + "...";
  }
}
