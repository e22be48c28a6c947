package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.Test;

class DataTypeNamesTest {
  @Test
  void concreteBuiltInTypesAreNamedAndAbstractOrVendorTypesAreNot() {
    assertThat(MiloSession.builtInName(NodeIds.Double)).isEqualTo("Double");
    assertThat(MiloSession.builtInName(NodeIds.Int32)).isEqualTo("Int32");
    assertThat(MiloSession.builtInName(NodeIds.UInt16)).isEqualTo("UInt16");
    assertThat(MiloSession.builtInName(NodeIds.Boolean)).isEqualTo("Boolean");
    // a device may declare Number or BaseDataType and send any numeric Variant: not a mismatch
    assertThat(MiloSession.builtInName(NodeIds.Number)).isNull();
    assertThat(MiloSession.builtInName(NodeIds.BaseDataType)).isNull();
    assertThat(MiloSession.builtInName(new NodeId(2, 11)))
        .as("vendor namespace, same number")
        .isNull();
    assertThat(MiloSession.builtInName(new NodeId(0, "Double"))).isNull();
  }
}
