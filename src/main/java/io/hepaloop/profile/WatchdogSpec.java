package io.hepaloop.profile;

/**
 * Controller heartbeat: the controller writes an increasing counter to {@code nodeId} every {@code
 * intervalMs}; when the device sees no change for {@code timeoutMs}, it puts every actuator at its
 * safe value.
 */
public record WatchdogSpec(String nodeId, String dataType, double intervalMs, double timeoutMs) {
  public String nodeIdFor(String reactorId) {
    return nodeId.replace("{reactor}", reactorId);
  }
}
