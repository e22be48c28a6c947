package io.hepaloop.audit;

import java.time.Instant;

/**
 * An appended audit record: the entry with its place in the chain.
 *
 * @param sequence 1, 2, 3, ... without gaps
 * @param recordedAt when the action was recorded (UTC, microseconds)
 * @param entry what was done
 * @param previousHash SHA-256 (hex) of the record before, 64 zeros for the first
 * @param hash SHA-256 (hex) over {@code previousHash} and this record's canonical fields
 */
public record AuditRecord(
    long sequence, Instant recordedAt, AuditEntry entry, String previousHash, String hash) {}
