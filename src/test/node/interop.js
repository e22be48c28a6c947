// Interop check with an OPC UA stack nobody in HepaLoop wrote: node-opcua against the simulator.
// Usage: node interop.js URL NAMESPACE_URI REACTOR SIGNAL,SIGNAL,... [USER PASSWORD]
// With USER and PASSWORD it uses Basic256Sha256/SignAndEncrypt and a username identity, else None/anonymous.
// Prints one fact per line (KEY args...) for NodeOpcUaInteropIT to assert; exits non-zero on failure.
"use strict";
const os = require("os");
const path = require("path");
const {
  OPCUAClient, MessageSecurityMode, SecurityPolicy, AttributeIds, DataType, TimestampsToReturn,
  ClientSubscription, ClientMonitoredItem, UserTokenType, OPCUACertificateManager,
} = require("node-opcua");

async function main() {
  const [url, nsUri, reactor, signalList, user, password] = process.argv.slice(2);
  const signals = signalList.split(",");
  const secure = Boolean(user);
  const clientCertificateManager = new OPCUACertificateManager({
    rootFolder: path.join(os.tmpdir(), "hepaloop-node-opcua-pki"),
    automaticallyAcceptUnknownCertificate: true,
  });
  const client = OPCUAClient.create({
    applicationName: "hepaloop-node-interop",
    endpointMustExist: false,
    securityMode: secure ? MessageSecurityMode.SignAndEncrypt : MessageSecurityMode.None,
    securityPolicy: secure ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None,
    connectionStrategy: { maxRetry: 2, initialDelay: 300, maxDelay: 1000 },
    clientCertificateManager,
  });
  await client.connect(url);
  console.log("CONNECTED", url, secure ? "SignAndEncrypt" : "None");
  const identity = secure ? { type: UserTokenType.UserName, userName: user, password } : { type: UserTokenType.Anonymous };
  const session = await client.createSession(identity);
  console.log("SESSION", secure ? "username" : "anonymous");

  // node-opcua's own namespace sits at another index than Milo's: always look it up by URI
  const nsArray = await session.readNamespaceArray();
  const ns = nsArray.indexOf(nsUri);
  if (ns < 0) throw new Error("namespace " + nsUri + " not on the server: " + nsArray.join(" "));
  console.log("NAMESPACE", ns);

  const browse = await session.browse(`ns=${ns};s=${reactor}`);
  console.log("BROWSE", browse.statusCode.name, browse.references.map((r) => r.browseName.name).sort().join(","));

  for (const s of signals) {
    const dv = await session.read({ nodeId: `ns=${ns};s=${reactor}.${s}`, attributeId: AttributeIds.Value });
    console.log("READ", s, DataType[dv.value.dataType], dv.value.value, dv.statusCode.name,
      dv.sourceTimestamp ? dv.sourceTimestamp.toISOString() : "none");
  }

  const pump = `ns=${ns};s=${reactor}.pump`;
  const w = await session.write({ nodeId: pump, attributeId: AttributeIds.Value,
    value: { value: { dataType: DataType.Double, value: 40.0 } } });
  console.log("WRITE pump 40", w.name);
  const back = await session.read({ nodeId: pump, attributeId: AttributeIds.Value });
  console.log("READBACK pump", back.value.value);

  const ws = await session.write({ nodeId: `ns=${ns};s=${reactor}.temperature`, attributeId: AttributeIds.Value,
    value: { value: { dataType: DataType.Double, value: 20.0 } } });
  console.log("WRITE temperature 20", ws.name);

  const sub = ClientSubscription.create(session, {
    requestedPublishingInterval: 100, requestedLifetimeCount: 600, requestedMaxKeepAliveCount: 20,
    maxNotificationsPerPublish: 1000, publishingEnabled: true, priority: 10,
  });
  let updates = 0;
  let last = null;
  const item = ClientMonitoredItem.create(sub, { nodeId: `ns=${ns};s=${reactor}.flow`, attributeId: AttributeIds.Value },
    { samplingInterval: 100, discardOldest: true, queueSize: 10 }, TimestampsToReturn.Both);
  item.on("changed", (dv) => { updates++; last = dv; });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  console.log("SUBSCRIPTION flow", updates, last ? last.value.value : "none", last ? last.statusCode.name : "none");
  await sub.terminate();

  await session.close();
  await client.disconnect();
  console.log("DONE");
}

main().catch((err) => {
  console.log("FAILED", err && err.message ? err.message : String(err));
  process.exit(1);
});
