package io.hepaloop.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EscalationTest {
  private final ManualClock clock = new ManualClock();
  private final List<String> told = new ArrayList<>();
  private final Escalation<String> escalation =
      new Escalation<>(
          List.of("operator", "bioengineer", "lab head"),
          Duration.ofMinutes(10),
          clock,
          (contact, n) -> told.add(contact + ":" + n.id()));

  private static Notification n(String id) {
    return new Notification(
        id, "critical", "r1", "temperature high-high", Instant.EPOCH, "check the heater");
  }

  private void minutes(int m) {
    clock.advance(Duration.ofMinutes(m));
    escalation.tick();
  }

  @Test
  void anUnacknowledgedCriticalAlarmWakesTheNextContactEveryStepUntilTheChainEnds() {
    escalation.raised("r1/temperature_hh", n("a1"));
    assertThat(told).containsExactly("operator:a1");
    minutes(9);
    assertThat(told).hasSize(1);
    minutes(1);
    assertThat(told).containsExactly("operator:a1", "bioengineer:a1");
    minutes(10);
    assertThat(told).containsExactly("operator:a1", "bioengineer:a1", "lab head:a1");
    minutes(60 * 24 * 30); // a month later: the last contact has it, nobody is told again
    assertThat(told).hasSize(3);
    assertThat(escalation.pending()).isEqualTo(1);
  }

  @Test
  void anAcknowledgementStopsTheEscalationAndAReAlarmDoesNotRestartIt() {
    escalation.raised("r1/temperature_hh", n("a1"));
    escalation.raised("r1/temperature_hh", n("a1-again"));
    assertThat(told).containsExactly("operator:a1");
    minutes(5);
    escalation.acknowledged("r1/temperature_hh");
    minutes(60);
    assertThat(told).containsExactly("operator:a1");
    assertThat(escalation.pending()).isZero();
  }

  @Test
  void alarmsEscalateEachOnItsOwnTime() {
    escalation.raised("a", n("a"));
    minutes(5);
    escalation.raised("b", n("b"));
    minutes(5);
    assertThat(told).containsExactly("operator:a", "operator:b", "bioengineer:a");
    minutes(5);
    assertThat(told).containsExactly("operator:a", "operator:b", "bioengineer:a", "bioengineer:b");
  }

  @Test
  void aChainWithoutContactsOrAStepOfZeroIsRefused() {
    assertThatThrownBy(
            () -> new Escalation<String>(List.of(), Duration.ofMinutes(1), clock, (c, n) -> {}))
        .hasMessageContaining("at least one contact");
    assertThatThrownBy(() -> new Escalation<>(List.of("x"), Duration.ZERO, clock, (c, n) -> {}))
        .hasMessageContaining("positive");
  }
}
