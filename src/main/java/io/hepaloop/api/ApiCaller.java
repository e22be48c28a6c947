package io.hepaloop.api;

import io.hepaloop.users.Role;

/**
 * Who is calling the API, as authenticated by the {@link ApiGuard}: the user name (for events,
 * alarm acknowledgements and audit) and the role that decides what they may do.
 *
 * @param viaToken authenticated by an API token (scripts) rather than a session cookie
 */
public record ApiCaller(String userName, Role role, boolean viaToken) {}
