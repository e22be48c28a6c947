package io.hepaloop.app;

import io.hepaloop.device.DeviceLinkOptions;
import io.hepaloop.plant.ReactorConfig;

/**
 * Turns a reactor of the plant configuration into device-link options. It lives in the app, not in
 * the configuration: configuration is plain data and knows nothing of the link that uses it.
 */
public final class ReactorLinks {
  private ReactorLinks() {}

  /**
   * A device-link builder already holding everything the plant configuration decides (endpoint,
   * security, credentials, NodeId template value); the caller adds what belongs to the process (PKI
   * directory, clock, timeouts).
   */
  public static DeviceLinkOptions.Builder optionsFor(ReactorConfig r) {
    DeviceLinkOptions.Builder b =
        DeviceLinkOptions.builder(r.id(), r.profile(), r.endpointUrl())
            .security(r.securityPolicy(), r.securityMode())
            .nodeIdReactor(r.nodeIdReactor());
    if (r.identity() != null && !r.identity().isAnonymous()) {
      b.user(r.identity().username(), r.resolvedPassword());
    }
    return b;
  }
}
