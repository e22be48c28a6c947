package io.hepaloop.sim;

/** How simulated reactors are spread over OPC UA servers. */
public enum Layout {
  /** One server (one port) per reactor, as with one PLC per bioreactor. */
  SERVER_PER_REACTOR,
  /**
   * One server with a folder per reactor, as with a gateway or one PLC serving several reactors.
   */
  SHARED_SERVER
}
