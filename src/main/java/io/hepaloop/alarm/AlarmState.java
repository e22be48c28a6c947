package io.hepaloop.alarm;

/**
 * The ISA-18.2 / IEC 62682 alarm states an operator sees. The first four follow the process
 * condition and acknowledgement; the last three hide the alarm from annunciation and, when they
 * end, give way to the state the process condition implies (active → {@link #UNACK_ACTIVE}, normal
 * → {@link #NORMAL}). Out of service outranks shelved, which outranks suppressed by design.
 */
public enum AlarmState {
  NORMAL,
  UNACK_ACTIVE,
  ACK_ACTIVE,
  /** Returned to normal before anyone acknowledged it. */
  RTN_UNACK,
  /** Hidden by an operator for a limited time; expires by itself. */
  SHELVED,
  /** Hidden while its design condition holds (e.g. its loop is in MANUAL). */
  SUPPRESSED_BY_DESIGN,
  /** Taken out of service by an engineer (e.g. broken instrument). */
  OUT_OF_SERVICE;

  /** Active and announced (counts as standing). */
  public boolean isActive() {
    return this == UNACK_ACTIVE || this == ACK_ACTIVE;
  }

  /** Waiting for an acknowledgement. */
  public boolean needsAcknowledgement() {
    return this == UNACK_ACTIVE || this == RTN_UNACK;
  }
}
