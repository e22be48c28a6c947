package io.hepaloop.plant;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.IdentitySpec;
import io.hepaloop.profile.SignalSpec;

/**
 * One reactor the controller supervises, fully resolved: its device profile loaded and valid, the
 * endpoint with the plant's overrides applied over the profile's defaults, and the password read
 * from the environment.
 *
 * @param id stable reactor id (bus addresses, InfluxDB tag, API, console)
 * @param displayName for people; the id when the config gives none
 * @param profile the device model
 * @param endpointUrl {@code opc.tcp://...}
 * @param securityPolicy {@code None}, {@code Basic256Sha256}, ...
 * @param securityMode {@code None}, {@code Sign} or {@code SignAndEncrypt}
 * @param identity anonymous or username (with the name of the variable that held the password)
 * @param resolvedPassword the password from the environment for a username identity, else null.
 *     Never logged: {@link #toString()} masks it.
 * @param nodeIdReactor what {@code {reactor}} becomes in the profile's NodeIds (default: the id)
 * @param cellsSeeded cells on the construct, for oxygen uptake per 10⁶ cells; null when not known
 */
public record ReactorConfig(
    String id,
    String displayName,
    DeviceProfile profile,
    String endpointUrl,
    String securityPolicy,
    String securityMode,
    IdentitySpec identity,
    String resolvedPassword,
    String nodeIdReactor,
    Long cellsSeeded) {

  /** The NodeId of {@code signal} for this reactor. */
  public String nodeIdFor(SignalSpec signal) {
    return signal.nodeIdFor(nodeIdReactor);
  }

  /** The NodeId of {@code signalId} for this reactor. */
  public String nodeIdFor(String signalId) {
    return nodeIdFor(profile.requireSignal(signalId));
  }

  /** The heartbeat NodeId for this reactor, or null when the profile has no watchdog. */
  public String watchdogNodeId() {
    return profile.watchdog() == null ? null : profile.watchdog().nodeIdFor(nodeIdReactor);
  }

  /** The password must not reach a log through a record's generated toString. */
  @Override
  public String toString() {
    return "ReactorConfig[id="
        + id
        + ", displayName="
        + displayName
        + ", profile="
        + profile.model()
        + ", endpointUrl="
        + endpointUrl
        + ", securityPolicy="
        + securityPolicy
        + ", securityMode="
        + securityMode
        + ", identity="
        + identity
        + ", resolvedPassword="
        + (resolvedPassword == null ? "null" : "***")
        + ", nodeIdReactor="
        + nodeIdReactor
        + ", cellsSeeded="
        + cellsSeeded
        + "]";
  }
}
