package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.junit.jupiter.api.Test;

class EndpointSelectionTest {
  private static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  private static final String URL = "opc.tcp://10.0.0.7:4840/hepaloop";

  private static EndpointDescription endpoint(
      SecurityPolicy policy, MessageSecurityMode mode, UserTokenType... tokens) {
    UserTokenPolicy[] ps = new UserTokenPolicy[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      ps[i] = new UserTokenPolicy("p" + i, tokens[i], null, null, null);
    }
    // What a server bound to 0.0.0.0 behind NAT advertises: a name the controller cannot reach.
    return new EndpointDescription(
        "opc.tcp://plc-internal:4841/hepaloop",
        null,
        ByteString.NULL_VALUE,
        mode,
        policy.getUri(),
        ps,
        null,
        UByte.valueOf(0));
  }

  private static final List<EndpointDescription> OFFERED =
      List.of(
          endpoint(SecurityPolicy.None, MessageSecurityMode.None, UserTokenType.Anonymous),
          endpoint(
              SecurityPolicy.Basic256Sha256,
              MessageSecurityMode.SignAndEncrypt,
              UserTokenType.UserName));

  @Test
  void theEndpointMatchingPolicyModeAndIdentityIsChosenAndTheConfiguredHostAndPortWin()
      throws Exception {
    DeviceLinkOptions o =
        DeviceLinkOptions.builder("r1", PROFILE, URL)
            .security("Basic256Sha256", "SignAndEncrypt")
            .user("operator", "pw")
            .pkiDir(Path.of("/tmp/unused"))
            .build();
    EndpointDescription e = MiloSession.selectEndpoint(o, OFFERED);
    assertThat(e.getSecurityPolicyUri()).isEqualTo(SecurityPolicy.Basic256Sha256.getUri());
    assertThat(e.getEndpointUrl()).isEqualTo("opc.tcp://10.0.0.7:4840/hepaloop");
  }

  @Test
  void whenNothingMatchesTheRefusalSaysWhatTheDeviceOffers() {
    // Anonymous over SignAndEncrypt is not offered (only a user name is).
    DeviceLinkOptions o =
        DeviceLinkOptions.builder("r1", PROFILE, URL)
            .security("Basic256Sha256", "SignAndEncrypt")
            .pkiDir(Path.of("/tmp/unused"))
            .build();
    assertThatThrownBy(() -> MiloSession.selectEndpoint(o, OFFERED))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining(
            "offers no endpoint with Basic256Sha256/SignAndEncrypt and anonymous identity")
        .hasMessageContaining("None/None [Anonymous]")
        .hasMessageContaining("Basic256Sha256/SignAndEncrypt [UserName]")
        .satisfies(ex -> assertThat(((LinkException) ex).configuration()).isTrue());
  }
}
