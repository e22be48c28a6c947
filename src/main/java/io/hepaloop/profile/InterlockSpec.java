package io.hepaloop.profile;

/**
 * A safety interlock that runs every control cycle and wins over any loop: when {@code signal} is
 * above {@code above} (or below {@code below}), {@code action.actuator} is forced to {@code
 * action.value}. A latched interlock stays tripped until an explicit reset, even after the signal
 * returns.
 */
public record InterlockSpec(
    String id, String signal, Double above, Double below, Action action, Boolean latch) {
  public record Action(String actuator, double value) {}

  public boolean latched() {
    return Boolean.TRUE.equals(latch);
  }
}
