package io.hepaloop.users;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a user may do, each role including the one before: viewer (read), operator (acknowledge,
 * shelve, setpoints within limits, modes), engineer (tuning, out of service, interlock reset),
 * admin (users). Stored by its lower-case {@link #id()}.
 */
public enum Role {
  VIEWER,
  OPERATOR,
  ENGINEER,
  ADMIN;

  /** The name stored and typed: "viewer", "operator", "engineer", "admin". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this role may do what {@code needed} may. */
  public boolean includes(Role needed) {
    return ordinal() >= needed.ordinal();
  }

  /**
   * The role named {@code id} (any case).
   *
   * @throws UserException naming the roles there are
   */
  public static Role parse(String id) {
    for (Role r : values()) {
      if (r.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
        return r;
      }
    }
    throw new UserException("unknown role '" + id + "'; roles: " + ids());
  }

  static String ids() {
    return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
  }
}
