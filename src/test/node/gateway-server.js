// A PLC gateway nobody in HepaLoop wrote: a node-opcua server serving many perfusion skids on ONE
// endpoint, with the node layout of device-profiles/plc-gateway-example.yaml and few sessions allowed.
// Usage: node gateway-server.js PORT REACTORS MAX_SESSIONS [TICK_MS] [FIRST_SEQ]
// Reactors are r01..rNN; node ids "ns=<gateway>;s=rNN.TT101" etc. Every TICK_MS (default 1000) each
// reactor's flow meter FT301 takes the next value of a sequence (FIRST_SEQ, FIRST_SEQ+1, ... mod 10000),
// so a client can check that it missed none. The watchdog WD_Counter and the actuators are writable.
// Prints "READY <port>" once listening, then every 500 ms
//   STATUS seq=<n> sessions=<open> peakSessions=<max open> sessionsCreated=<n> wdWrites=<n> wdReactorsRecent=<n>
// (wdReactorsRecent: reactors whose watchdog was written in the last 3 s) for SharedEndpointNodeOpcUaIT.
// Lines on stdin: "WD_FAIL rNN" makes that reactor's watchdog answer writes with BadNoCommunication (as a
// gateway does when the PLC behind it is gone) while the session and the other reactors are fine;
// "WD_OK rNN" ends it.
// "KILL_SUB rNN" deletes, server-side and without telling the client, the subscription that holds
// rNN's monitored items (as a PLC does that drops a subscription, e.g. after a program download): the
// client sees no more publish responses for it, while the session and its other subscriptions go on.
// "EXPIRE_SUB rNN" ends it the way an expired subscription ends: a StatusChangeNotification
// (BadTimeout) for it, then it is gone. ACK lines say which subscription id was hit.
// "SUBS_LIMIT N" sets the subscriptions allowed per session (10 at start): with it at the number a
// session holds, a subscription ended by the device cannot be created again.
// STATUS also prints subscriptions=<n> (all sessions) and wdTrips=<n>: watchdog trips, counted as a
// PLC's watchdog would trip, when a reactor's WD_Counter written at least once does not change for
// WD_TIMEOUT_MS (5000, the plc-gateway-example profile's watchdog timeout).
"use strict";
const os = require("os");
const path = require("path");
const {
  OPCUAServer, Variant, DataType, StatusCodes, SecurityPolicy, MessageSecurityMode, OPCUACertificateManager,
  StatusChangeNotification,
} = require("node-opcua");

const NAMESPACE_URI = "http://example.com/plc-gateway/perfusion";

async function main() {
  const [portArg, reactorsArg, maxSessionsArg, tickArg, firstSeqArg] = process.argv.slice(2);
  const port = Number(portArg);
  const reactors = Number(reactorsArg);
  const maxSessions = Number(maxSessionsArg);
  const tickMs = Number(tickArg || 1000);
  let seq = Number(firstSeqArg || 0);
  if (!(port > 0 && reactors > 0 && maxSessions > 0 && tickMs > 0)) {
    throw new Error("usage: node gateway-server.js PORT REACTORS MAX_SESSIONS [TICK_MS] [FIRST_SEQ]");
  }

  const server = new OPCUAServer({
    port,
    resourcePath: "/",
    serverCapabilities: { maxSessions, maxSubscriptionsPerSession: 10 },
    securityPolicies: [SecurityPolicy.None],
    securityModes: [MessageSecurityMode.None],
    allowAnonymous: true,
    serverCertificateManager: new OPCUACertificateManager({
      rootFolder: path.join(os.tmpdir(), "hepaloop-node-gateway-pki"),
      automaticallyAcceptUnknownCertificate: true,
    }),
    buildInfo: { productName: "hepaloop test gateway (node-opcua)" },
  });
  await server.initialize();

  const addressSpace = server.engine.addressSpace;
  const ns = addressSpace.registerNamespace(NAMESPACE_URI);
  const wdLastWrite = new Map();
  const wdFailing = new Set();
  const wdLastChange = new Map();
  const wdTripped = new Set();
  let wdTrips = 0;
  const WD_TIMEOUT_MS = 5000;
  let wdWrites = 0;

  for (let i = 1; i <= reactors; i++) {
    const r = "r" + String(i).padStart(2, "0");
    const folder = ns.addFolder(addressSpace.rootFolder.objects, { browseName: r, nodeId: `s=${r}` });
    const values = { TT101: 370, DT201: 1000, DT202: 600, PT302: 5000, HY101: 0, AY201: 210, SY301: 200, WD_Counter: 0 };
    const types = { TT101: "Int16", DT201: "UInt16", DT202: "UInt16", FT301: "UInt16", PT302: "Int16",
      HY101: "UInt16", AY201: "UInt16", SY301: "UInt16", WD_Counter: "UInt16" };
    const writable = new Set(["HY101", "AY201", "SY301", "WD_Counter"]);
    for (const tag of Object.keys(types)) {
      const dataType = DataType[types[tag]];
      const get = tag === "FT301"
        ? () => new Variant({ dataType, value: seq % 10000 })
        : () => new Variant({ dataType, value: values[tag] });
      const value = { get };
      if (writable.has(tag)) {
        value.set = (variant) => {
          if (tag === "WD_Counter" && wdFailing.has(r)) {
            return StatusCodes.BadNoCommunication;
          }
          const changed = values[tag] !== variant.value;
          values[tag] = variant.value;
          if (tag === "WD_Counter") {
            wdWrites++;
            wdLastWrite.set(r, Date.now());
            if (changed || !wdLastChange.has(r)) {
              wdLastChange.set(r, Date.now());
              wdTripped.delete(r);
            }
          }
          return StatusCodes.Good;
        };
      }
      ns.addVariable({
        componentOf: folder,
        browseName: tag,
        nodeId: `s=${r}.${tag}`,
        dataType: types[tag],
        minimumSamplingInterval: 50,
        accessLevel: writable.has(tag) ? "CurrentRead | CurrentWrite" : "CurrentRead",
        userAccessLevel: writable.has(tag) ? "CurrentRead | CurrentWrite" : "CurrentRead",
        value,
      });
    }
  }

  let open = 0;
  let peak = 0;
  let created = 0;
  server.on("create_session", () => {
    open++;
    created++;
    peak = Math.max(peak, open);
  });
  server.on("session_closed", () => {
    open = Math.max(0, open - 1);
  });

  setInterval(() => { seq++; }, tickMs);
  require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
    const [cmd, r] = line.trim().split(/\s+/);
    if (cmd === "WD_FAIL") wdFailing.add(r);
    if (cmd === "WD_OK") wdFailing.delete(r);
    if (cmd === "SUBS_LIMIT") server.engine.serverCapabilities.maxSubscriptionsPerSession = Number(r);
    if (cmd === "KILL_SUB" || cmd === "EXPIRE_SUB") {
      const hit = subscriptionOf(r);
      if (!hit) {
        console.log("ACK", cmd, r, "none");
        return;
      }
      if (cmd === "EXPIRE_SUB") {
        // What Subscription does when its lifetime runs out (node-opcua-server, server_subscription.ts).
        hit.subscription._addNotificationMessage(new StatusChangeNotification({ status: StatusCodes.BadTimeout }));
        hit.subscription.terminate();
      } else {
        hit.session.deleteSubscription(hit.subscription.id);
      }
      console.log("ACK", cmd, r, "subscription", hit.subscription.id);
      return;
    }
    console.log("ACK", cmd, r);
  });
  // The subscription (and its session) that monitors one of reactor r's nodes.
  function subscriptionOf(r) {
    for (const session of Object.values(server.engine._sessions)) {
      for (const subscription of session.publishEngine ? session.publishEngine.subscriptions : []) {
        for (const item of subscription.monitoredItems.values()) {
          const id = item.itemToMonitor && item.itemToMonitor.nodeId && item.itemToMonitor.nodeId.toString();
          if (id && id.includes(`s=${r}.`)) return { session, subscription };
        }
      }
    }
    return null;
  }
  function subscriptionCount() {
    let n = 0;
    for (const session of Object.values(server.engine._sessions)) {
      n += session.publishEngine ? session.publishEngine.subscriptions.length : 0;
    }
    return n;
  }
  setInterval(() => {
    const now = Date.now();
    for (const [r, t] of wdLastChange) {
      if (now - t > WD_TIMEOUT_MS && !wdTripped.has(r)) {
        wdTripped.add(r);
        wdTrips++;
        console.log("WD_TRIP", r);
      }
    }
  }, 100);

  await server.start();
  console.log("READY", port);
  setInterval(() => {
    const now = Date.now();
    let recent = 0;
    for (const t of wdLastWrite.values()) {
      if (now - t < 3000) recent++;
    }
    console.log(`STATUS seq=${seq} sessions=${open} peakSessions=${peak} sessionsCreated=${created} wdWrites=${wdWrites} wdReactorsRecent=${recent} subscriptions=${subscriptionCount()} wdTrips=${wdTrips}`);
  }, 500);
}

main().catch((err) => {
  console.log("FAILED", err && err.stack ? err.stack : String(err));
  process.exit(1);
});
