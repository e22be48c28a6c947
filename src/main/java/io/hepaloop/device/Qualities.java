package io.hepaloop.device;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * OPC UA status code → {@link Quality}: the two severity bits of the code (OPC UA Part 4, 7.39
 * StatusCode: 00 Good, 01 Uncertain, 10/11 Bad). Sub-codes and info bits (limit, overflow) do not
 * change the severity.
 */
public final class Qualities {
  private Qualities() {}

  public static Quality of(StatusCode status) {
    if (status == null) {
      // OPC UA: an absent StatusCode in a DataValue means Good (Part 6, 5.2.2.17).
      return Quality.GOOD;
    }
    if (status.isGood()) {
      return Quality.GOOD;
    }
    if (status.isUncertain()) {
      return Quality.UNCERTAIN;
    }
    return Quality.BAD;
  }

  /** Symbolic name of a status code ({@code Bad_UserAccessDenied}), or its hex value if unknown. */
  public static String name(StatusCode status) {
    if (status == null) {
      return "Good";
    }
    return name(status.getValue());
  }

  /** Symbolic name of a raw status code value. */
  public static String name(long code) {
    return StatusCodes.lookup(code).map(nd -> nd[0]).orElse(String.format("0x%08X", code));
  }
}
