/**
 * The device link: the controller's side of each reactor's OPC UA device.
 *
 * <p>{@link io.hepaloop.device.DeviceLink} (one verticle per reactor, configured by {@link
 * io.hepaloop.device.DeviceLinkOptions}) publishes {@link io.hepaloop.device.SampleBatch}es, writes
 * {@link io.hepaloop.device.ActuatorCommand}s, sends the watchdog heartbeat and publishes its
 * {@link io.hepaloop.device.LinkState}. Links on the same endpoint, security and identity share one
 * OPC UA session ({@link io.hepaloop.device.EndpointSessions}); {@link
 * io.hepaloop.device.MiloSession} holds the protocol (Eclipse Milo 1.0.5 client); the pure pieces —
 * {@link io.hepaloop.device.SampleConverter}, {@link io.hepaloop.device.Qualities}, {@link
 * io.hepaloop.core.DataType}, {@link io.hepaloop.device.CommandCheck}, {@link
 * io.hepaloop.device.Backoff} — are unit-tested without a server. States, backoff, outage behaviour
 * and threading: {@code docs/device-link.md}.
 */
package io.hepaloop.device;
