/**
 * What both sides of the OPC UA wire share, the controller's device link and the simulated device
 * alike: {@link io.hepaloop.core.Quality} (Good/Uncertain/Bad travelling with every value) and
 * {@link io.hepaloop.core.DataType} (the built-in types a profile may name, their ranges, their
 * conversion to and from Milo's {@code Variant}, and how the heartbeat counter wraps in each).
 *
 * <p>Depends on nothing of HepaLoop; Milo keeps its client and server apart the same way, with the
 * types in a core module both use.
 */
package io.hepaloop.core;
