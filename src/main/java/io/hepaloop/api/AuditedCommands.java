package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditEntry;
import io.hepaloop.control.ControlCommand;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The end of every plant command route: check the electronic signature, send the command through
 * the reactor's one door, append the audit record of what happened, after it happened, and answer
 * once that record is committed (so an answered action survives a kill -9 in the trail). A refusal
 * of an authorised caller (a value outside the loop's limits, a refused signature, the controller's
 * refusal) is answered and recorded too, with the new value {@code refused: ...} and the reason;
 * malformed requests (400) and unknown targets (404) are answered only.
 */
final class AuditedCommands {
  /** Longest comment (reason) a command may carry. */
  static final int MAX_COMMENT = AuditEntry.MAX_TEXT;

  /**
   * One change a caller asks for, as the audit record will show it.
   *
   * @param target {@code r1/temperature}, {@code r1/temperature/main}, {@code r1/interlock-id}
   * @param oldValue read from the controller's state before the command
   * @param newValue what the command sets, as the controller will hold it once accepted
   * @param comment the caller's reason, or null
   */
  record Change(
      String reactorId,
      AuditAction action,
      String target,
      String oldValue,
      String newValue,
      String comment) {}

  /** A command body's optional {@code comment} and {@code signature}. */
  record Extras(String comment, AuditSignatures.Given signature) {}

  private final PlantAccess plant;
  private final AuditRecorder audit;

  AuditedCommands(PlantAccess plant, AuditRecorder audit) {
    this.plant = plant;
    this.audit = audit;
  }

  /** Reads {@code comment} and {@code signature} of a body; null after answering 400. */
  static Extras extras(RoutingContext rc, JsonObject body) {
    String[] comment = new String[1];
    if (!PlantInput.optionalString(rc, body, "comment", comment)) {
      return null;
    }
    if (comment[0] != null && comment[0].length() > MAX_COMMENT) {
      Problems.badField(
          rc, "comment", "is " + comment[0].length() + " characters long; at most " + MAX_COMMENT);
      return null;
    }
    AuditSignatures.Given[] signature = new AuditSignatures.Given[1];
    if (!AuditSignatures.read(rc, body, signature)) {
      return null;
    }
    return new Extras(comment[0], signature[0]);
  }

  /** Refuses {@code c} before the controller is asked: answers the problem and records it. */
  void refuse(
      RoutingContext rc,
      Change c,
      int status,
      String title,
      String detail,
      Problems.FieldError error) {
    AuditRecorder.thenAnswer(
        List.of(
            audit.record(
                ApiGuard.caller(rc),
                c.action(),
                c.target(),
                c.oldValue(),
                AuditRecorder.refused(c.newValue()),
                AuditRecorder.because(detail, c.comment()),
                null)),
        () -> Problems.send(rc, status, title, detail, error));
  }

  /**
   * Checks the signature ({@code given} may be null), sends {@code command}, answers 200 or 409 (or
   * the signature's refusal), and records the outcome. Never blocks.
   */
  void execute(RoutingContext rc, Change c, AuditSignatures.Given given, ControlCommand command) {
    ApiCaller caller = ApiGuard.caller(rc);
    audit
        .signatures()
        .check(caller, c.action(), given)
        .onComplete(
            checked -> {
              if (checked.failed()) {
                rc.fail(checked.cause());
                return;
              }
              AuditSignatures.Outcome signed = checked.result();
              if (!signed.ok()) {
                AuditRecorder.thenAnswer(
                    List.of(
                        audit.record(
                            caller,
                            AuditAction.SIGNATURE_REFUSED,
                            c.target(),
                            c.oldValue(),
                            AuditRecorder.refused(c.action().id() + " " + c.newValue()),
                            AuditRecorder.because(signed.detail(), c.comment()),
                            null)),
                    () -> AuditSignatures.answer(rc, signed));
                return;
              }
              send(rc, caller, c, signed, command);
            });
  }

  private void send(
      RoutingContext rc,
      ApiCaller caller,
      Change c,
      AuditSignatures.Outcome signed,
      ControlCommand command) {
    plant
        .command(c.reactorId(), command)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                rc.fail(ar.cause());
                return;
              }
              if (ar.result().accepted()) {
                AuditRecorder.answerOnceRecorded(
                    rc,
                    List.of(
                        audit.record(
                            caller,
                            c.action(),
                            c.target(),
                            c.oldValue(),
                            c.newValue(),
                            c.comment(),
                            signed.signature())),
                    () ->
                        PlantRoutes.json(
                            rc,
                            200,
                            new JsonObject()
                                .put("accepted", true)
                                .put("message", ar.result().message())
                                .put("signed", signed.signature() != null)
                                .encode()));
              } else {
                AuditRecorder.thenAnswer(
                    List.of(
                        audit.record(
                            caller,
                            c.action(),
                            c.target(),
                            c.oldValue(),
                            AuditRecorder.refused(c.newValue()),
                            AuditRecorder.because(
                                "refused by the controller: " + ar.result().message(), c.comment()),
                            signed.signature())),
                    () -> Problems.send(rc, 409, "Command refused", ar.result().message()));
              }
            });
  }
}
