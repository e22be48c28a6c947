package io.hepaloop.sim;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.util.Locale;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * Raw device values: the OPC UA built-in types a profile may name ({@code dataType}) and the
 * conversion of a double to and from them. Integers are rounded and clamped to the type's range, as a
 * PLC's scaled-integer output saturates.
 */
final class RawValues {
  private RawValues() {}

  static NodeId dataTypeId(String dataType) {
    return switch (normalise(dataType)) {
      case "double" -> NodeIds.Double;
      case "float" -> NodeIds.Float;
      case "int16" -> NodeIds.Int16;
      case "uint16" -> NodeIds.UInt16;
      case "int32" -> NodeIds.Int32;
      case "uint32" -> NodeIds.UInt32;
      case "byte" -> NodeIds.Byte;
      case "boolean" -> NodeIds.Boolean;
      default -> throw new IllegalArgumentException("unsupported dataType '" + dataType
          + "' (supported: Double, Float, Int16, UInt16, Int32, UInt32, Byte, Boolean)");
    };
  }

  static Variant toVariant(double raw, String dataType) {
    return switch (normalise(dataType)) {
      case "double" -> new Variant(raw);
      case "float" -> new Variant((float) raw);
      case "int16" -> new Variant((short) clampRound(raw, Short.MIN_VALUE, Short.MAX_VALUE));
      case "uint16" -> new Variant(ushort((int) clampRound(raw, 0, 65535)));
      case "int32" -> new Variant((int) clampRound(raw, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case "uint32" -> new Variant(uint(clampRound(raw, 0, 4294967295L)));
      case "byte" -> new Variant(ubyte(clampRound(raw, 0, 255)));
      case "boolean" -> new Variant(raw != 0);
      default -> throw new IllegalArgumentException("unsupported dataType '" + dataType + "'");
    };
  }

  /** The numeric value of a written Variant, or NaN when it is not a number or boolean. */
  static double toDouble(Object value) {
    if (value instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    return Double.NaN;
  }

  private static long clampRound(double v, long min, long max) {
    if (Double.isNaN(v)) {
      return 0;
    }
    return Math.max(min, Math.min(max, Math.round(v)));
  }

  private static String normalise(String dataType) {
    return dataType == null ? "double" : dataType.toLowerCase(Locale.ROOT);
  }
}
