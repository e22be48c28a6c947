/**
 * The embedded database of a data directory: one SQLite file ({@code <dataDir>/hepaloop.db}, WAL
 * mode, foreign keys on, readable by its owner only) and the numbered migrations that bring its
 * schema up to what the code expects ({@link io.hepaloop.store.MigrationRunner}).
 *
 * <p>Every method here blocks on disk I/O: callers run it on a worker thread (Vert.x {@code
 * executeBlocking} or a worker verticle), never on an event loop, and {@link
 * io.hepaloop.store.Store} refuses a call made on one. Uses nothing of HepaLoop but core and time.
 */
package io.hepaloop.store;
