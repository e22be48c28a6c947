package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.junit.jupiter.api.Test;

class RawValuesTest {
  @Test
  void eachProfileDataTypeBecomesTheMatchingOpcUaType() {
    assertThat(RawValues.toVariant(12.5, "Double").getValue()).isEqualTo(12.5);
    assertThat(RawValues.toVariant(12.5, "Float").getValue()).isEqualTo(12.5f);
    assertThat(RawValues.toVariant(4249.6, "Int32").getValue()).isEqualTo(4250);
    assertThat(RawValues.toVariant(-3, "Int16").getValue()).isEqualTo((short) -3);
    assertThat(RawValues.toVariant(65535, "UInt16").getValue()).isEqualTo(UShort.valueOf(65535));
    assertThat(RawValues.toVariant(4_294_967_295L, "UInt32").getValue()).isEqualTo(UInteger.valueOf(4_294_967_295L));
    assertThat(RawValues.toVariant(1, "Boolean").getValue()).isEqualTo(true);
  }

  @Test
  void aValueTheDeviceTypeCannotHoldIsRefusedNotWrapped() {
    assertThatThrownBy(() -> RawValues.toVariant(70_000, "Int16")).hasMessageContaining("does not fit the device's Int16");
    assertThatThrownBy(() -> RawValues.toVariant(-1, "UInt32")).hasMessageContaining("UInt32");
    assertThatThrownBy(() -> RawValues.toVariant(Double.NaN, "Double")).hasMessageContaining("not a finite number");
    assertThatThrownBy(() -> RawValues.toVariant(1, "String")).hasMessageContaining("not supported");
  }

  @Test
  void rawNumbersOfAnyTypeReadAsDoubles() {
    assertThat(RawValues.toDouble(new Variant(UInteger.valueOf(7)))).isEqualTo(7.0);
    assertThat(RawValues.toDouble(new Variant((short) -2))).isEqualTo(-2.0);
    assertThat(RawValues.toDouble(new Variant(true))).isEqualTo(1.0);
    assertThat(RawValues.toDouble(new Variant("x"))).isNaN();
    assertThat(RawValues.toDouble(Variant.NULL_VALUE)).isNaN();
  }
}
