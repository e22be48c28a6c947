package io.hepaloop.core;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/**
 * The OPC UA built-in types a device profile may name ({@code dataType} of a signal or the
 * watchdog), one model for both sides of the wire: the schema's enum, the profile checks, the
 * device link and the simulator all use this, so a type that validates is a type that can be
 * written and read.
 *
 * <p>Each type knows its range, its built-in NodeId (OPC UA Part 6, 5.1.2), the Java class Milo
 * uses for it in a {@link Variant} (Part 6, 5.1.2 table 1: SByte is a Java {@code Byte}, Byte is a
 * {@link UByte}, the unsigned types are Milo's {@code UByte/UShort/UInteger/ULong}) and how the
 * heartbeat counter wraps in it.
 *
 * <p>Engineering scaling is the profile's job ({@code SignalSpec}); this class only changes
 * representation. The controller side refuses a value the type cannot hold ({@link #toVariant}: a
 * heater at 70000 in an Int16 would become a negative number); the simulated device saturates like
 * a PLC's scaled-integer output ({@link #toVariantSaturated}).
 */
public enum DataType {
  BOOLEAN("Boolean", NodeIds.Boolean, 0, 1),
  SBYTE("SByte", NodeIds.SByte, Byte.MIN_VALUE, Byte.MAX_VALUE),
  BYTE("Byte", NodeIds.Byte, 0, 255),
  INT16("Int16", NodeIds.Int16, Short.MIN_VALUE, Short.MAX_VALUE),
  UINT16("UInt16", NodeIds.UInt16, 0, 65_535),
  INT32("Int32", NodeIds.Int32, Integer.MIN_VALUE, Integer.MAX_VALUE),
  UINT32("UInt32", NodeIds.UInt32, 0, 4_294_967_295L),
  INT64("Int64", NodeIds.Int64, Long.MIN_VALUE, Long.MAX_VALUE),
  /**
   * Its maximum, 2^64 - 1, is held in a long as -1 (two's complement), as {@link
   * ULong#valueOf(long)} reads it.
   */
  UINT64("UInt64", NodeIds.UInt64, 0, -1L),
  FLOAT("Float", NodeIds.Float, 0, 0),
  DOUBLE("Double", NodeIds.Double, 0, 0);

  private static final double TWO_63 = 0x1p63;
  private static final double TWO_64 = 0x1p64;

  private final String opcName;
  private final NodeId nodeId;
  private final long minLong;
  private final long maxLong;

  DataType(String opcName, NodeId nodeId, long minLong, long maxLong) {
    this.opcName = opcName;
    this.nodeId = nodeId;
    this.minLong = minLong;
    this.maxLong = maxLong;
  }

  /** The name as the OPC UA specification and the profile schema spell it ({@code UInt16}). */
  public String opcName() {
    return opcName;
  }

  /**
   * The built-in type's NodeId in namespace 0 (what a variable node's DataType attribute holds).
   */
  public NodeId nodeId() {
    return nodeId;
  }

  /** Whole numbers: the integer types and Boolean (0 or 1). */
  public boolean isIntegral() {
    return this != FLOAT && this != DOUBLE;
  }

  /** Smallest value the type holds (for Float and Double: the most negative finite one). */
  public double min() {
    return switch (this) {
      case FLOAT -> -Float.MAX_VALUE;
      case DOUBLE -> -Double.MAX_VALUE;
      default -> minLong;
    };
  }

  /** Largest value the type holds; UInt64's 2^64 - 1 is shown as the nearest double, 2^64. */
  public double max() {
    return switch (this) {
      case FLOAT -> Float.MAX_VALUE;
      case DOUBLE -> Double.MAX_VALUE;
      case UINT64 -> TWO_64;
      default -> maxLong;
    };
  }

  /** The names a profile may use, in the schema's order. */
  public static String names() {
    return Arrays.stream(values()).map(DataType::opcName).collect(Collectors.joining(", "));
  }

  /**
   * The type named {@code name} (exact OPC UA spelling, case-insensitive), if it is one of these.
   */
  public static Optional<DataType> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (DataType t : values()) {
      if (t.opcName.equalsIgnoreCase(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * The type named {@code name}; null means Double (a profile record built in code may leave it
   * out).
   *
   * @throws IllegalArgumentException naming the supported types
   */
  public static DataType of(String name) {
    if (name == null) {
      return DOUBLE;
    }
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "data type '" + name + "' is not supported (supported: " + names() + ")"));
  }

  /**
   * The built-in type a node declares, or empty when it is abstract (Number, BaseDataType), a type
   * we do not use (String), or a vendor's type: a device may declare those and still send a value
   * we can read.
   */
  public static Optional<DataType> ofNodeId(NodeId dataType) {
    if (dataType == null) {
      return Optional.empty();
    }
    for (DataType t : values()) {
      if (t.nodeId.equals(dataType)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- values

  /** The raw value as a double; NaN when the device sent no value or a non-numeric one. */
  public static double toDouble(Variant v) {
    return toDouble(v == null ? null : v.getValue());
  }

  /**
   * A Variant's value as a double (Milo's unsigned types are Numbers too); NaN when not a number or
   * boolean.
   */
  public static double toDouble(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    return Double.NaN;
  }

  /**
   * The Variant for writing {@code raw} to a node of this type: integers rounded to the nearest
   * whole number, Boolean true for anything but 0.
   *
   * @throws IllegalArgumentException naming the value and the type when it does not fit
   */
  public Variant toVariant(double raw) {
    if (!Double.isFinite(raw)) {
      throw new IllegalArgumentException("raw value " + raw + " is not a finite number");
    }
    return switch (this) {
      case DOUBLE -> new Variant(raw);
      case FLOAT -> {
        if (Math.abs(raw) > Float.MAX_VALUE) {
          throw outOfType(raw);
        }
        yield new Variant((float) raw);
      }
      case BOOLEAN -> new Variant(raw != 0.0);
      default -> {
        double r = Math.rint(raw);
        if (r < min() || r >= upperExclusive()) {
          throw outOfType(raw);
        }
        yield integerVariant(
            this == UINT64 && r >= TWO_63
                ? new BigDecimal(r)
                    .toBigInteger()
                    .longValue() // two's complement of the unsigned value
                : (long) r);
      }
    };
  }

  /**
   * The Variant a device publishes for {@code raw}: integers rounded and clamped to the type's
   * range, as a PLC's scaled-integer value saturates; NaN becomes 0 for integer types.
   */
  public Variant toVariantSaturated(double raw) {
    return switch (this) {
      case DOUBLE -> new Variant(raw);
      case FLOAT -> new Variant((float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, raw)));
      case BOOLEAN -> new Variant(!Double.isNaN(raw) && raw != 0.0);
      default -> {
        if (Double.isNaN(raw)) {
          yield integerVariant(0);
        }
        double r = Math.rint(raw);
        if (r < min()) {
          yield integerVariant(minLong);
        }
        if (r >= upperExclusive()) {
          yield integerVariant(maxLong);
        }
        yield toVariant(r);
      }
    };
  }

  /**
   * One past the largest whole number the type holds, exactly representable as a double for 64-bit
   * types.
   */
  private double upperExclusive() {
    return switch (this) {
      case INT64 -> TWO_63;
      case UINT64 -> TWO_64;
      default -> maxLong + 1.0;
    };
  }

  /** {@code v} (for UInt64: as unsigned bits) in Milo's Java class for this integer type. */
  private Variant integerVariant(long v) {
    return switch (this) {
      case BOOLEAN -> new Variant(v != 0);
      case SBYTE -> new Variant((byte) v);
      case BYTE -> new Variant(UByte.valueOf(v));
      case INT16 -> new Variant((short) v);
      case UINT16 -> new Variant(UShort.valueOf((int) v));
      case INT32 -> new Variant((int) v);
      case UINT32 -> new Variant(UInteger.valueOf(v));
      case INT64 -> new Variant(v);
      case UINT64 -> new Variant(ULong.valueOf(v));
      default -> throw new IllegalStateException(opcName + " is not an integer type");
    };
  }

  private IllegalArgumentException outOfType(double raw) {
    return new IllegalArgumentException(
        "raw value " + raw + " does not fit the device's " + opcName);
  }

  // ---------------------------------------------------------------- heartbeat counter

  /**
   * Whether a heartbeat counter can live in this type: every integer type and Boolean (a toggle).
   * Float and Double cannot: a counter in a Float stops changing at 2^24.
   */
  public boolean holdsHeartbeat() {
    return isIntegral();
  }

  /**
   * The largest heartbeat value, after which the counter wraps to 0: the type's maximum (signed
   * types count within their positive range: Int16 wraps after 32767; Boolean toggles). For UInt64
   * this is -1, the bits of 2^64 - 1.
   */
  public long heartbeatWrap() {
    requireHeartbeatType();
    return maxLong;
  }

  /**
   * The heartbeat after {@code counter}: one more, or 0 after {@link #heartbeatWrap()}. Never
   * refused.
   */
  public long nextHeartbeat(long counter) {
    long wrap = heartbeatWrap();
    return counter == wrap ? 0 : counter + 1;
  }

  /**
   * The Variant of heartbeat value {@code counter} (0..{@link #heartbeatWrap()}), exact for 64-bit
   * types.
   */
  public Variant heartbeatVariant(long counter) {
    requireHeartbeatType();
    return integerVariant(counter);
  }

  /**
   * A written heartbeat value as the counter's bits (exact, also for UInt64 near its maximum, where
   * a double would make neighbours equal); empty when it is not an integer or boolean.
   */
  public static Optional<Long> heartbeatOf(Object value) {
    if (value instanceof Boolean b) {
      return Optional.of(b ? 1L : 0L);
    }
    if (value instanceof Byte
        || value instanceof Short
        || value instanceof Integer
        || value instanceof Long
        || value instanceof UByte
        || value instanceof UShort
        || value instanceof UInteger
        || value instanceof ULong) {
      return Optional.of(((Number) value).longValue());
    }
    return Optional.empty();
  }

  private void requireHeartbeatType() {
    if (!holdsHeartbeat()) {
      throw new IllegalStateException(opcName + " cannot hold a heartbeat counter");
    }
  }

  @Override
  public String toString() {
    return opcName;
  }
}
