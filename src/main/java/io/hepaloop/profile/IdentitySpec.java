package io.hepaloop.profile;

/**
 * How the controller identifies itself to the device. Never a password in a file: {@code
 * passwordEnv} names the environment variable that holds it.
 *
 * @param type {@code anonymous} or {@code username}
 */
public record IdentitySpec(String type, String username, String passwordEnv) {
  public static final IdentitySpec ANONYMOUS = new IdentitySpec("anonymous", null, null);

  public boolean isAnonymous() {
    return type == null || "anonymous".equals(type);
  }
}
