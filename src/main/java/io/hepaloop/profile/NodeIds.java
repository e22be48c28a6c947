package io.hepaloop.profile;

import java.math.BigInteger;
import java.util.Base64;
import java.util.UUID;
import org.eclipse.milo.opcua.stack.core.UaRuntimeException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * Checks the text form of an OPC UA NodeId (Part 6, 5.3.1.10): {@code nsu=<uri>;<id>} or {@code
 * ns=<index>;<id>} or just {@code <id>} (namespace 0), where {@code <id>} is {@code i=<UInt32>},
 * {@code s=<string>}, {@code g=<GUID>} or {@code b=<base64>}. Says what exactly is wrong, then asks
 * Milo to parse it too, so that whatever passes here is what the device link can use.
 */
public final class NodeIds {
  private static final String FORMS =
      "expected nsu=<namespace URI>;s=<name> or ns=<index>;i=<number>";

  private NodeIds() {}

  /** Null when {@code text} is a valid NodeId, else what is wrong with it. */
  public static String problem(String text) {
    String why = why(text);
    return why == null ? null : "'" + text + "' is not a valid NodeId: " + why;
  }

  /**
   * Null when {@code text} is a valid NodeId, else only the reason (without repeating the text).
   */
  public static String reason(String text) {
    return why(text);
  }

  private static String why(String s) {
    if (s.isBlank()) {
      return "it is empty (" + FORMS + ")";
    }
    if (!s.equals(s.strip())) {
      return "it has leading or trailing spaces";
    }
    String identifier;
    boolean expanded = false;
    if (s.startsWith("nsu=")) {
      int semi = s.indexOf(';');
      if (semi < 0) {
        return "no ';' after the namespace URI (" + FORMS + ")";
      }
      if (semi == 4) {
        return "the namespace URI after nsu= is empty";
      }
      identifier = s.substring(semi + 1);
      expanded = true;
    } else if (s.startsWith("ns=")) {
      int semi = s.indexOf(';');
      if (semi < 0) {
        return "no ';' after the namespace index (" + FORMS + ")";
      }
      String index = s.substring(3, semi);
      if (!index.matches("[0-9]{1,5}") || Integer.parseInt(index) > 65535) {
        return "namespace index '" + index + "' is not a number 0..65535";
      }
      identifier = s.substring(semi + 1);
    } else if (s.startsWith("svr=")) {
      return "a server index (svr=) is not supported";
    } else {
      identifier = s;
    }
    String idProblem = identifierProblem(identifier);
    if (idProblem != null) {
      return idProblem;
    }
    try {
      if (expanded) {
        ExpandedNodeId.parse(s);
      } else {
        NodeId.parse(s);
      }
    } catch (UaRuntimeException | IllegalArgumentException e) {
      return "the OPC UA stack cannot parse it (" + e.getMessage() + ")";
    }
    return null;
  }

  private static String identifierProblem(String id) {
    if (id.length() < 2 || id.charAt(1) != '=') {
      return "the identifier '" + id + "' must start with i=, s=, g= or b= (" + FORMS + ")";
    }
    String value = id.substring(2);
    switch (id.charAt(0)) {
      case 'i' -> {
        if (!value.matches("[0-9]{1,10}")
            || new BigInteger(value).compareTo(BigInteger.valueOf(4294967295L)) > 0) {
          return "numeric identifier '" + value + "' is not a number 0..4294967295";
        }
      }
      case 's' -> {
        if (value.isEmpty()) {
          return "the string identifier after s= is empty";
        }
      }
      case 'g' -> {
        try {
          if (value.length() != 36) {
            throw new IllegalArgumentException();
          }
          UUID.fromString(value);
        } catch (IllegalArgumentException e) {
          return "GUID identifier '"
              + value
              + "' is not of the form 01234567-89ab-cdef-0123-456789abcdef";
        }
      }
      case 'b' -> {
        try {
          Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
          return "opaque identifier '" + value + "' is not base64";
        }
      }
      default -> {
        return "unknown identifier type '" + id.charAt(0) + "=' (use i=, s=, g= or b=)";
      }
    }
    return null;
  }
}
