package io.hepaloop.device;

import io.hepaloop.core.Quality;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
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

  private static final Set<Long> UNANSWERED =
      Set.of(
          StatusCodes.Bad_Timeout,
          StatusCodes.Bad_RequestTimeout,
          StatusCodes.Bad_ConnectionClosed,
          StatusCodes.Bad_SecureChannelClosed,
          StatusCodes.Bad_SecureChannelIdInvalid,
          StatusCodes.Bad_SessionClosed,
          StatusCodes.Bad_SessionIdInvalid,
          StatusCodes.Bad_SessionNotActivated,
          StatusCodes.Bad_NotConnected,
          StatusCodes.Bad_ServerNotConnected,
          StatusCodes.Bad_NoCommunication,
          StatusCodes.Bad_CommunicationError,
          StatusCodes.Bad_TcpInternalError,
          StatusCodes.Bad_ServerHalted,
          StatusCodes.Bad_Shutdown);

  /**
   * Whether a request failed because nothing answered it (timeout, connection or session gone), as
   * opposed to the device answering "no" (Bad_NotWritable, Bad_UserAccessDenied, Bad_OutOfRange):
   * the first says the link is down, the second says the request was wrong.
   *
   * @param failure the exception a request completed with, or null
   * @param status the operation's status when the request itself completed, or null
   */
  public static boolean unanswered(Throwable failure, StatusCode status) {
    if (failure != null) {
      return UaException.extractStatusCode(failure)
          .map(sc -> UNANSWERED.contains(sc.getValue()))
          .orElse(true); // not a UA status at all: I/O error, timeout of our own, closed executor
    }
    return status != null && UNANSWERED.contains(status.getValue());
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
