package io.hepaloop.core;

/**
 * Quality that travels with every value, mapped from the OPC UA status code severity (Part 4,
 * 7.34): Good, Uncertain, Bad. A value is never used or stored as if good unless it is {@link
 * #GOOD}.
 */
public enum Quality {
  GOOD,
  UNCERTAIN,
  BAD;

  public boolean isGood() {
    return this == GOOD;
  }

  /** The worse of two qualities (for derived signals: one bad input makes the result bad). */
  public Quality worst(Quality other) {
    return this.ordinal() >= other.ordinal() ? this : other;
  }
}
