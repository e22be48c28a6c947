/**
 * The tamper-evident audit trail of human actions (docs/audit.md): {@link
 * io.hepaloop.audit.AuditTrail} appends {@link io.hepaloop.audit.AuditEntry} records to an
 * append-only table of the data directory's database, each holding the SHA-256 of the one before
 * it, and anchors the newest hash in a file outside the database; {@link
 * io.hepaloop.audit.AuditVerifier} recomputes the chain and checks the anchors, naming the record
 * that was edited, deleted, inserted or moved; {@link io.hepaloop.audit.AuditExport} writes CSV.
 *
 * <p>Uses store, core and time only: the caller checks a re-entered password before it passes a
 * {@link io.hepaloop.audit.Signature}, so the audit does not depend on users. Appends are made by
 * one writer thread; {@link io.hepaloop.audit.AuditTrail#enqueue} never blocks and may be called on
 * an event loop, everything else blocks on disk I/O.
 */
package io.hepaloop.audit;
