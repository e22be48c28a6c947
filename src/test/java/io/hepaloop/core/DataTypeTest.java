package io.hepaloop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DataTypeTest {
  @Test
  void eachProfileDataTypeBecomesTheMatchingOpcUaType() {
    assertThat(DataType.of("Double").toVariant(12.5).getValue()).isEqualTo(12.5);
    assertThat(DataType.of("Float").toVariant(12.5).getValue()).isEqualTo(12.5f);
    assertThat(DataType.of("Int32").toVariant(4249.6).getValue()).isEqualTo(4250);
    assertThat(DataType.of("Int16").toVariant(-3).getValue()).isEqualTo((short) -3);
    assertThat(DataType.of("UInt16").toVariant(65535).getValue()).isEqualTo(UShort.valueOf(65535));
    assertThat(DataType.of("UInt32").toVariant(4_294_967_295L).getValue())
        .isEqualTo(UInteger.valueOf(4_294_967_295L));
    assertThat(DataType.of("Boolean").toVariant(1).getValue()).isEqualTo(true);
    assertThat(DataType.of("SByte").toVariant(-128).getValue()).isEqualTo((byte) -128);
    assertThat(DataType.of("Byte").toVariant(255).getValue()).isEqualTo(UByte.valueOf(255));
    assertThat(DataType.of("Int64").toVariant(-5e15).getValue()).isEqualTo(-5_000_000_000_000_000L);
    assertThat(DataType.of("UInt64").toVariant(0x1p63).getValue())
        .isEqualTo(ULong.valueOf(BigInteger.ONE.shiftLeft(63)));
  }

  @Test
  void aValueTheDeviceTypeCannotHoldIsRefusedNotWrapped() {
    assertThatThrownBy(() -> DataType.INT16.toVariant(70_000))
        .hasMessageContaining("does not fit the device's Int16");
    assertThatThrownBy(() -> DataType.UINT32.toVariant(-1)).hasMessageContaining("UInt32");
    assertThatThrownBy(() -> DataType.BYTE.toVariant(256)).hasMessageContaining("Byte");
    assertThatThrownBy(() -> DataType.SBYTE.toVariant(128)).hasMessageContaining("SByte");
    assertThatThrownBy(() -> DataType.INT64.toVariant(0x1p63)).hasMessageContaining("Int64");
    assertThatThrownBy(() -> DataType.UINT64.toVariant(0x1p64)).hasMessageContaining("UInt64");
    assertThatThrownBy(() -> DataType.FLOAT.toVariant(1e39)).hasMessageContaining("Float");
    assertThatThrownBy(() -> DataType.DOUBLE.toVariant(Double.NaN))
        .hasMessageContaining("not a finite number");
    assertThatThrownBy(() -> DataType.of("String"))
        .hasMessageContaining("not supported")
        .hasMessageContaining(DataType.names());
  }

  @Test
  void theDeviceSaturatesWhatDoesNotFitAsAPlcOutputDoes() {
    assertThat(DataType.INT16.toVariantSaturated(70_000).getValue()).isEqualTo(Short.MAX_VALUE);
    assertThat(DataType.BYTE.toVariantSaturated(-3).getValue()).isEqualTo(UByte.MIN);
    assertThat(DataType.UINT64.toVariantSaturated(1e30).getValue()).isEqualTo(ULong.MAX);
    assertThat(DataType.UINT32.toVariantSaturated(Double.NaN).getValue()).isEqualTo(UInteger.MIN);
    assertThat(DataType.FLOAT.toVariantSaturated(1e39).getValue()).isEqualTo(Float.MAX_VALUE);
  }

  @Test
  void rawNumbersOfAnyTypeReadAsDoubles() {
    assertThat(DataType.toDouble(new Variant(UInteger.valueOf(7)))).isEqualTo(7.0);
    assertThat(DataType.toDouble(new Variant((short) -2))).isEqualTo(-2.0);
    assertThat(DataType.toDouble(new Variant(true))).isEqualTo(1.0);
    assertThat(DataType.toDouble(new Variant(ULong.MAX))).isEqualTo(0x1p64);
    assertThat(DataType.toDouble(new Variant("x"))).isNaN();
    assertThat(DataType.toDouble(Variant.NULL_VALUE)).isNaN();
  }

  @ParameterizedTest
  @EnumSource(DataType.class)
  void everyTypeRoundTripsItsExtremesAndItsName(DataType t) {
    assertThat(DataType.of(t.opcName())).isSameAs(t);
    assertThat(DataType.ofNodeId(t.nodeId())).contains(t);
    double lo = t.isIntegral() ? t.min() : -1e6;
    double hi =
        t == DataType.UINT64
            ? 0x1p63
            : t == DataType.INT64 ? 0x1p62 : t.isIntegral() ? t.max() : 1e6;
    for (double v : new double[] {lo, hi}) {
      assertThat(DataType.toDouble(t.toVariant(v))).as(t + " " + v).isEqualTo(v);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DataType.class,
      names = {"FLOAT", "DOUBLE"},
      mode = EnumSource.Mode.EXCLUDE)
  void theHeartbeatWrapsAtTheTypesMaximumAndEveryValueIsOneTheTypeHolds(DataType t) {
    long wrap = t.heartbeatWrap();
    List<Long> seen = new ArrayList<>();
    long c = wrap - 2;
    if (t == DataType.BOOLEAN) {
      c = 0;
    }
    for (int i = 0; i < 6; i++) {
      Variant v = t.heartbeatVariant(c);
      assertThat(DataType.heartbeatOf(v.getValue())).as(t + " reads back").contains(c);
      if (t != DataType.BOOLEAN && t != DataType.UINT64) {
        assertThat(DataType.toDouble(v)).isBetween(0.0, t.max());
      }
      seen.add(c);
      long next = t.nextHeartbeat(c);
      assertThat(next).as("the counter changes at every beat").isNotEqualTo(c);
      c = next;
    }
    assertThat(seen).as(t + " wraps to 0 after its maximum").containsSubsequence(wrap, 0L, 1L);
  }

  @Test
  void theWrapIsTheTypesMaximumSignedTypesInTheirPositiveRange() {
    assertThat(DataType.UINT16.heartbeatWrap()).isEqualTo(65_535);
    assertThat(DataType.INT16.heartbeatWrap()).isEqualTo(32_767);
    assertThat(DataType.BYTE.heartbeatWrap()).isEqualTo(255);
    assertThat(DataType.SBYTE.heartbeatWrap()).isEqualTo(127);
    assertThat(DataType.BOOLEAN.heartbeatWrap()).isEqualTo(1);
    assertThat(DataType.UINT64.heartbeatVariant(DataType.UINT64.heartbeatWrap()).getValue())
        .isEqualTo(ULong.MAX);
    assertThat(DataType.UINT64.nextHeartbeat(Long.MAX_VALUE))
        .as("past 2^63 - 1 as unsigned bits")
        .isEqualTo(Long.MIN_VALUE);
    assertThat(DataType.FLOAT.holdsHeartbeat()).isFalse();
    assertThatThrownBy(DataType.DOUBLE::heartbeatWrap)
        .hasMessageContaining("Double cannot hold a heartbeat");
  }

  @Test
  void neighbouringUInt64HeartbeatsStayDistinctWhereDoublesWouldNot() {
    long max = DataType.UINT64.heartbeatWrap();
    Object a = DataType.UINT64.heartbeatVariant(max - 1).getValue();
    Object b = DataType.UINT64.heartbeatVariant(max).getValue();
    assertThat(DataType.toDouble(a)).isEqualTo(DataType.toDouble(b));
    assertThat(DataType.heartbeatOf(a)).isNotEqualTo(DataType.heartbeatOf(b));
    assertThat(DataType.heartbeatOf(12.0)).isEmpty();
  }
}
