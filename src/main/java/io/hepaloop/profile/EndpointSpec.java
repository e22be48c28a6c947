package io.hepaloop.profile;

/**
 * OPC UA endpoint defaults of a device model; the plant configuration may override each per
 * reactor.
 *
 * @param url e.g. {@code opc.tcp://127.0.0.1:4840/hepaloop}
 * @param securityPolicy {@code None} or {@code Basic256Sha256}
 * @param securityMode {@code None}, {@code Sign} or {@code SignAndEncrypt}
 */
public record EndpointSpec(
    String url, String securityPolicy, String securityMode, IdentitySpec identity) {}
