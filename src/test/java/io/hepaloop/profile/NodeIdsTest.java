package io.hepaloop.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "nsu=urn:hepaloop:bioreactor;s=r1.temperature",
        "ns=2;s=Reactor 1.Temperature",
        "ns=0;i=2258",
        "i=85",
        "ns=3;g=09087e75-8e5e-499b-954f-f2a9603db28a",
        "ns=1;b=M/RbKBsRVkePCePcx24oRA==",
        "nsu=http://plc.example/UA/;i=6001"
      })
  void everyNodeIdFormOfTheSpecIsAccepted(String nodeId) {
    assertThat(NodeIds.problem(nodeId)).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ns=x;s=flow | namespace index 'x' is not a number 0..65535",
        "ns=70000;s=flow | namespace index '70000' is not a number 0..65535",
        "ns=2 | no ';' after the namespace index",
        "nsu=urn:x | no ';' after the namespace URI",
        "nsu=;s=a | the namespace URI after nsu= is empty",
        "ns=2;flow | the identifier 'flow' must start with i=, s=, g= or b=",
        "ns=2;x=flow | unknown identifier type 'x='",
        "ns=2;i=12a | numeric identifier '12a' is not a number 0..4294967295",
        "ns=2;i=4294967296 | numeric identifier '4294967296' is not a number 0..4294967295",
        "ns=2;s= | the string identifier after s= is empty",
        "ns=2;g=1234 | GUID identifier '1234' is not of the form",
        "ns=2;b=%%% | opaque identifier '%%%' is not base64",
        "svr=1;ns=2;i=1 | a server index (svr=) is not supported"
      })
  void aBadNodeIdIsRefusedSayingWhatExactlyIsWrong(String nodeId, String why) {
    assertThat(NodeIds.problem(nodeId))
        .startsWith("'" + nodeId + "' is not a valid NodeId: ")
        .contains(why);
  }
}
