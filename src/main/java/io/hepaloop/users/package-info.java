/**
 * The people who act on the plant through the command API: {@link io.hepaloop.users.Users} (stored
 * in the data directory's database), their {@link io.hepaloop.users.Role}, passwords hashed with
 * Argon2id ({@link io.hepaloop.users.PasswordHasher}) under {@link
 * io.hepaloop.users.PasswordRules}, and lockout after repeated failed logins.
 *
 * <p>Uses store, core and time only; the REST API decides what each role may do. Like the store,
 * every method blocks (disk and a ~100 ms hash): run it on a worker, never on an event loop.
 */
package io.hepaloop.users;
