package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditRecord;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit records of actions on a reactor carry that reactor's open run; other records, and records
 * on a reactor without a run, carry the plant's run id.
 */
class AuditRecorderRunIdTest {
  @TempDir Path tmp;

  @Test
  void aRecordOnAReactorCarriesItsOpenRunAndFallsBackToThePlantRun() throws Exception {
    Map<String, String> open = new ConcurrentHashMap<>();
    open.put("r1", "r1-20261202-063000");
    try (Store store = Store.open(tmp)) {
      AuditTrail trail = AuditTrail.open(store, new ManualClock());
      try {
        AuditRecorder audit = new AuditRecorder(trail, "plant-run-7", AuditSignatures.unchecked());
        AuditRecord before = record(audit, "r1/temperature"); // no ActiveRuns yet
        audit.useActiveRuns(open::get);
        AuditRecord setpoint = record(audit, "r1/temperature");
        AuditRecord ack = record(audit, "r1/do_outlet_low");
        AuditRecord reactor = record(audit, "r1");
        AuditRecord otherReactor = record(audit, "r2/temperature");
        AuditRecord user = record(audit, "alice");
        AuditRecord none = record(audit, null);

        assertThat(before.entry().runId()).isEqualTo("plant-run-7");
        assertThat(setpoint.entry().runId()).isEqualTo("r1-20261202-063000");
        assertThat(ack.entry().runId()).isEqualTo("r1-20261202-063000");
        assertThat(reactor.entry().runId()).isEqualTo("r1-20261202-063000");
        assertThat(otherReactor.entry().runId()).isEqualTo("plant-run-7");
        assertThat(user.entry().runId()).isEqualTo("plant-run-7");
        assertThat(none.entry().runId()).isEqualTo("plant-run-7");

        open.remove("r1"); // the run ended
        assertThat(record(audit, "r1/temperature").entry().runId()).isEqualTo("plant-run-7");
      } finally {
        trail.close();
      }
    }
  }

  private static AuditRecord record(AuditRecorder audit, String target) throws Exception {
    return audit
        .record("olga", "operator", AuditAction.SETPOINT, target, "1", "2", "why", null)
        .get(10, TimeUnit.SECONDS);
  }
}
