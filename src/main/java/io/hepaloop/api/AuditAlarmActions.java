package io.hepaloop.api;

import io.hepaloop.alarm.AlarmState;
import io.hepaloop.audit.AuditAction;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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
   * Reads the alarms' states, runs {@code act}, hands its result to {@code answer}, then records.
   */
  void run(
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
                          answer.handle(ar);
                          if (ar.succeeded()) {
                            record(
                                req,
                                action,
                                before.succeeded() ? before.result() : Map.of(),
                                ar.result());
                          }
                        }));
  }

  private void record(
      AlarmRoutes.Request req,
      AuditAction action,
      Map<AlarmAccess.AlarmRef, AlarmAccess.AlarmView> before,
      AlarmAccess.ActionResult result) {
    if (result.ok()) {
      states()
          .onComplete(
              after -> {
                Map<AlarmAccess.AlarmRef, AlarmAccess.AlarmView> now =
                    after.succeeded() ? after.result() : Map.of();
                for (AlarmAccess.AlarmRef ref : result.applied()) {
                  audit.record(
                      req.caller(),
                      action,
                      ref.toString(),
                      describe(before.get(ref)),
                      describe(now.get(ref)),
                      req.comment(),
                      null);
                }
              });
      return;
    }
    if (result.refusal() != AlarmAccess.Refusal.CONFLICT
        && result.refusal() != AlarmAccess.Refusal.FORBIDDEN) {
      return;
    }
    for (AlarmAccess.AlarmRef ref : req.alarms()) {
      audit.record(
          req.caller(),
          action,
          ref.toString(),
          describe(before.get(ref)),
          AuditRecorder.refused(action.id()),
          AuditRecorder.because(result.reason(), req.comment()),
          null);
    }
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
