package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * Which links share a session, the counting of an endpoint's entry, and how long a failed attempt
 * answers for all.
 */
class EndpointSessionsTest {
  private static DeviceLinkOptions.Builder link(String reactorId, String url) {
    return DeviceLinkOptions.builder(reactorId, LinkItSupport.PROFILE, url);
  }

  @Test
  void linksOnTheSameEndpointSecurityAndIdentityShareOneEntryOthersDoNot() {
    EndpointSessions sessions = new EndpointSessions();
    String url = "opc.tcp://127.0.0.1:4840/";
    EndpointSession a = sessions.acquire(link("r1", url).build());
    EndpointSession b = sessions.acquire(link("r2", url).nodeIdReactor("skid2").build());
    assertThat(b).isSameAs(a);
    assertThat(sessions.endpoints()).isEqualTo(1);

    assertThat(sessions.acquire(link("r3", "opc.tcp://127.0.0.1:4841/").build()))
        .as("another endpoint")
        .isNotSameAs(a);
    assertThat(sessions.acquire(link("r4", url).user("operator", "pw").build()))
        .as("another identity")
        .isNotSameAs(a);
    assertThat(sessions.acquire(link("r5", url).user("operator", "other").build()))
        .as("another password")
        .isNotSameAs(a);
    assertThat(sessions.acquire(link("r6", url).keepAlive(60_000, 5).build()))
        .as("other session settings")
        .isNotSameAs(a);
    assertThat(sessions.endpoints()).isEqualTo(5);
  }

  @Test
  void theLastLinkOutRemovesTheEntryAndTheNextLinkGetsAFreshOne() {
    EndpointSessions sessions = new EndpointSessions();
    String url = "opc.tcp://127.0.0.1:4840/";
    EndpointSession a = sessions.acquire(link("r1", url).build());
    sessions.acquire(link("r2", url).build());
    sessions.release(a);
    assertThat(sessions.endpoints()).as("r2 still holds it").isEqualTo(1);
    sessions.release(a);
    assertThat(sessions.endpoints()).isZero();
    assertThat(sessions.acquire(link("r3", url).build())).isNotSameAs(a);
  }

  @Test
  void theKeyNeverPrintsThePassword() {
    String key =
        EndpointSessions.Key.of(
                link("r1", "opc.tcp://127.0.0.1:4840/").user("operator", "s3cret").build())
            .toString();
    assertThat(key).contains("user operator").doesNotContain("s3cret");
  }

  @Test
  void
      aFailedAttemptAnswersForTheEndpointForTheFirstBackoffStepAConfigurationFailureForMostOfItsSlowRetry() {
    DeviceLinkOptions o =
        link("r1", "opc.tcp://127.0.0.1:4840/")
            .backoff(new Backoff(300, 1000, 2.0, 0.1))
            .configurationRetryMs(20_000)
            .build();
    assertThat(EndpointSession.holdMs(o, new LinkException("connection refused"))).isEqualTo(300);
    assertThat(EndpointSession.holdMs(o, LinkException.configuration("wrong password")))
        .isEqualTo(18_000);
    DeviceLinkOptions slowBackoff =
        link("r1", "opc.tcp://127.0.0.1:4840/").backoff(new Backoff(2000, 5000, 2.0, 0.1)).build();
    assertThat(EndpointSession.holdMs(slowBackoff, new LinkException("connection refused")))
        .as("capped")
        .isEqualTo(500);
  }

  @Test
  void linksAskingWhileTheHoldLastsGetTheSameFailureWithoutANewAttempt() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    // Nothing listens there: the attempt is refused at once. A long hold, so the second ask falls
    // inside it.
    DeviceLinkOptions o =
        link("r1", "opc.tcp://127.0.0.1:" + port + "/")
            .backoff(new Backoff(60_000, 60_000, 2.0, 0.1))
            .build();
    EndpointSessions sessions = new EndpointSessions();
    EndpointSession e = sessions.acquire(o);
    MiloSession.Listener ignore =
        new MiloSession.Listener() {
          @Override
          public void onSamples(java.util.List<Sample> samples) {}

          @Override
          public void onLost(String reason) {}
        };
    LinkException first = catchThrowableOfType(LinkException.class, () -> e.open(o, ignore));
    LinkException second =
        catchThrowableOfType(
            LinkException.class,
            () -> e.open(link("r2", o.endpointUrl()).backoff(o.backoff()).build(), ignore));
    assertThat(first.getMessage()).contains("connection refused");
    assertThat(second).as("the same attempt's failure, not a new one").isSameAs(first);
    assertThat(sessions.sessionsOpened()).isZero();
  }
}
