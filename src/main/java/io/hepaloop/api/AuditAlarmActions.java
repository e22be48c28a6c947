package io.hepaloop.api;

import io.hepaloop.alarm.AlarmState;
import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditRecord;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The audit records of alarm actions: one per alarm an action names, with the alarm's state just
 * before (read from the engine before acting) and just after (read again once applied), and the
 * operator's comment as the reason. An action the engine refuses because an alarm's state does not
 * allow it (409) is recorded once per alarm named, with {@code refused: <action>} and the reason;
 * unknown alarms (404) and malformed requests are answered only. The reads are two hops to the
 * alarm engine's context, never a block.
 */
final class AuditAlarmActions {
  private final AlarmAccess alarms;
  private final AuditRecorder audit;

  AuditAlarmActions(AlarmAccess alarms, AuditRecorder audit) {
    this.alarms = alarms;
    this.audit = audit;
  }

  /**
   * Reads the alarms' states, runs {@code act}, records, then hands its result to {@code answer}
   * once the records are committed: an action the client saw answered is in the trail even when the
   * process is killed the next instant.
   */
  void run(
      RoutingContext rc,
      AlarmRoutes.Request req,
      AuditAction action,
      Supplier<Future<AlarmAccess.ActionResult>> act,
      Handler<AsyncResult<AlarmAccess.ActionResult>> answer) {
    if (!audit.recording()) {
      act.get().onComplete(answer);
      return;
    }
    states()
        .onComplete(
            before ->
                act.get()
                    .onComplete(
                        ar -> {
                          if (ar.failed()) {
                            answer.handle(ar);
                            return;
                          }
                          record(
                              req,
                              action,
                              before.succeeded() ? before.result() : Map.of(),
                              ar.result(),
                              written ->
                                  AuditRecorder.answerOnceRecorded(
                                      rc, written, () -> answer.handle(ar)));
                        }));
  }

  /** Records the outcome of an action, then hands what was queued to {@code then}. */
  private void record(
      AlarmRoutes.Request req,
      AuditAction action,
      Map<AlarmAccess.AlarmRef, AlarmAccess.AlarmView> before,
      AlarmAccess.ActionResult result,
      Consumer<List<CompletableFuture<AuditRecord>>> then) {
    List<CompletableFuture<AuditRecord>> written = new ArrayList<>();
    if (result.ok()) {
      states()
          .onComplete(
              after -> {
                Map<AlarmAccess.AlarmRef, AlarmAccess.AlarmView> now =
                    after.succeeded() ? after.result() : Map.of();
                for (AlarmAccess.AlarmRef ref : result.applied()) {
                  written.add(
                      audit.record(
                          req.caller(),
                          action,
                          ref.toString(),
                          describe(before.get(ref)),
                          describe(now.get(ref)),
                          req.comment(),
                          null));
                }
                then.accept(written);
              });
      return;
    }
    if (result.refusal() == AlarmAccess.Refusal.CONFLICT
        || result.refusal() == AlarmAccess.Refusal.FORBIDDEN) {
      for (AlarmAccess.AlarmRef ref : req.alarms()) {
        written.add(
            audit.record(
                req.caller(),
                action,
                ref.toString(),
                describe(before.get(ref)),
                AuditRecorder.refused(action.id()),
                AuditRecorder.because(result.reason(), req.comment()),
                null));
      }
    }
    then.accept(written);
  }

  private Future<Map<AlarmAccess.AlarmRef, AlarmAccess.AlarmView>> states() {
    return alarms
        .list(AlarmAccess.Filter.ALL)
        .map(
            list -> {
              Map<AlarmAccess.AlarmRef, AlarmAccess.AlarmView> out = new HashMap<>();
              list.forEach(a -> out.put(new AlarmAccess.AlarmRef(a.reactorId(), a.alarmId()), a));
              return out;
            });
  }

  /** An alarm's state as the record shows it: {@code unack_active}, {@code shelved until T}. */
  static String describe(AlarmAccess.AlarmView a) {
    if (a == null) {
      return null;
    }
    String state = a.state().name().toLowerCase(Locale.ROOT);
    if (a.state() == AlarmState.SHELVED && a.shelvedUntil() != null) {
      return state + " until " + a.shelvedUntil();
    }
    return state;
  }
}
