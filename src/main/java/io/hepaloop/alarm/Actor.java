package io.hepaloop.alarm;

/**
 * Who does something to an alarm, as the caller (the API, after authentication) vouches for it. The
 * engine checks the role, not the identity.
 */
public record Actor(String name, Role role) {

  /** Roles in ascending power: each may do what the ones before it may. */
  public enum Role {
    VIEWER,
    OPERATOR,
    ENGINEER,
    ADMIN;

    public boolean atLeast(Role other) {
      return compareTo(other) >= 0;
    }
  }

  public Actor {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("actor name is required");
    }
    if (role == null) {
      throw new IllegalArgumentException(
          "actor role is required (VIEWER, OPERATOR, ENGINEER, ADMIN)");
    }
  }
}
