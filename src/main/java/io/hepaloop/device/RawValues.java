package io.hepaloop.device;

import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/**
 * Raw OPC UA values ↔ doubles, for the built-in types a device profile may name (Double, Float, Int16,
 * Int32, UInt16, UInt32, Boolean). Engineering scaling is the profile's job ({@code SignalSpec}); this
 * class only changes representation, and refuses a value the device type cannot hold rather than
 * silently wrapping it (a heater at 70000 in an Int16 would become a negative number).
 */
public final class RawValues {
  private RawValues() {}

  /** The raw value as a double; NaN when the device sent no value or a non-numeric one. */
  public static double toDouble(Variant v) {
    Object o = v == null ? null : v.getValue();
    if (o instanceof Number n) {
      // Milo's unsigned types (UShort, UInteger, ULong) are Numbers too.
      return n.doubleValue();
    }
    if (o instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    return Double.NaN;
  }

  /**
   * The Variant for writing {@code raw} to a node of OPC UA type {@code dataType}.
   *
   * @throws IllegalArgumentException naming the value and the type when it does not fit
   */
  public static Variant toVariant(double raw, String dataType) {
    if (!Double.isFinite(raw)) {
      throw new IllegalArgumentException("raw value " + raw + " is not a finite number");
    }
    String type = dataType == null ? "Double" : dataType;
    return switch (type) {
      case "Double" -> new Variant(raw);
      case "Float" -> {
        if (Math.abs(raw) > Float.MAX_VALUE) {
          throw outOfType(raw, type);
        }
        yield new Variant((float) raw);
      }
      case "Int16" -> new Variant((short) integral(raw, Short.MIN_VALUE, Short.MAX_VALUE, type));
      case "Int32" -> new Variant((int) integral(raw, Integer.MIN_VALUE, Integer.MAX_VALUE, type));
      case "UInt16" -> new Variant(UShort.valueOf((int) integral(raw, 0, 65_535, type)));
      case "UInt32" -> new Variant(UInteger.valueOf(integral(raw, 0, 4_294_967_295L, type)));
      case "Boolean" -> new Variant(raw != 0.0);
      default -> throw new IllegalArgumentException("data type '" + type + "' is not supported for writing");
    };
  }

  private static long integral(double raw, long min, long max, String type) {
    long r = Math.round(raw);
    if (r < min || r > max) {
      throw outOfType(raw, type);
    }
    return r;
  }

  private static IllegalArgumentException outOfType(double raw, String type) {
    return new IllegalArgumentException("raw value " + raw + " does not fit the device's " + type);
  }
}
