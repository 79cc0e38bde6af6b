// The dev-mode demo app: one RealtimeClient per page, and the page acting as its own backend
// through POST /api/v1/messages with an admin dev token.
import { RealtimeClient } from "/realtime.js";

const TOPIC = "chat:lobby";
const $ = (id) => document.getElementById(id);

let identity = readIdentity();
let adminToken;
let metricsTimer;
let jobRunning = false;
let resumedAt = 0; // when the last resumed subscribe was acknowledged
let replayed = 0;
let recoveredFlag;
const online = new Set();

// --- the client: made once; connect() and disconnect() reuse it ---

const client = new RealtimeClient("/ws", {
  getToken: () => mint({
    sub: identity.user, roles: [identity.role], permissions: ["realtime:publish"],
    topics: ["chat:*"], ttlSeconds: 600,
  }),
});

client.on("state", ({ previous, current }) => {
  $("state").textContent = current;
  $("state").dataset.state = current;
  if (current !== "connected") $("connection-id").textContent = "none";
  log(`state ${previous} → ${current}`);
});
client.on("welcome", (w) => {
  $("connection-id").textContent = w.connectionId;
  log(`welcome: connection ${w.connectionId}, user ${w.userId}, roles [${w.roles.join(", ")}]`);
});
client.on("close", ({ code, reason }) => log(`socket closed ${code} ${reason}`));
client.on("error", (e) => log(`error (${e.kind}${e.code ? " " + e.code : ""}): ${e.message}`));
client.on("message", (m) => {
  switch (m.type) {
    case "notification": return notification(m);
    case "metrics": return metrics(m);
    case "job.progress": return progress(m);
    default: return log(`message ${m.type} ${JSON.stringify(m.payload)}`);
  }
});

const chat = client.subscribe(TOPIC, { presence: true });
chat.on("subscribed", ({ resumed, recovered }) => {
  online.clear(); // the presence frame after each subscribe lists everyone again
  renderPresence();
  recoveredFlag = recovered;
  replayed = 0;
  resumedAt = resumed ? Date.now() : 0;
  $("recovery").textContent = !resumed
    ? `subscribed to ${TOPIC} (a first subscribe: nothing to recover)`
    : recovered
      ? `resubscribed with since: the server recovered everything missed (recovered: true); 0 replayed`
      : `resubscribed with since, but the server's history no longer reaches back (recovered: false): reload from your source of truth`;
  $("recovery").dataset.recovered = String(resumed ? recovered : "");
  log(`subscribed to ${TOPIC}: resumed ${resumed}, recovered ${recovered}`);
});
chat.on("message", (m) => {
  const li = item($("chat-messages"), `${m.payload?.user ?? "?"}: ${m.payload?.text ?? ""}`);
  // messages sent before the resume's ack are the ones the server replayed
  if (resumedAt && Date.parse(m.ts) <= resumedAt) {
    li.classList.add("replayed");
    replayed++;
    if (recoveredFlag) {
      $("recovery").textContent = `resubscribed with since: the server recovered everything missed (recovered: true); ${replayed} replayed`;
    }
  }
});
chat.on("presence", (p) => {
  for (const u of p.joins) online.add(u);
  for (const u of p.leaves) online.delete(u);
  renderPresence();
});
chat.on("error", (e) => log(`chat: ${e.code ?? e.kind}: ${e.message}`));

// --- controls ---

$("connect").addEventListener("click", () => {
  const next = readIdentity();
  if (next.user !== identity.user || next.role !== identity.role) {
    client.disconnect(); // another identity: the same client, a new token
  }
  identity = next;
  labels();
  client.connect(); // does nothing while already connecting or connected
});
$("disconnect").addEventListener("click", () => client.disconnect());

$("notify").addEventListener("click", () => backend({ kind: "user", value: identity.user },
  "notification", { message: $("notify-text").value, at: new Date().toISOString() }));

$("push-metrics").addEventListener("click", pushMetrics);
$("auto-metrics").addEventListener("change", (e) => {
  clearInterval(metricsTimer);
  if (e.target.checked) metricsTimer = setInterval(pushMetrics, 1000);
});

$("start-job").addEventListener("click", async () => {
  const connectionId = client.connectionId;
  if (!connectionId) return log("connect first: job progress goes to this page's connection");
  if (jobRunning) return;
  jobRunning = true;
  const job = "job-" + Math.random().toString(36).slice(2, 7);
  try {
    for (let percent = 0; percent <= 100; percent += 20) {
      await backend({ kind: "connection", value: connectionId }, "job.progress", { job, percent });
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    jobRunning = false;
  }
});

$("chat-send").addEventListener("click", async () => {
  const text = $("chat-input").value.trim();
  if (!text) return;
  $("chat-input").value = "";
  try {
    await chat.publish("chat.message", { user: identity.user, text });
  } catch (e) {
    log(`publish failed (${e.kind}${e.code ? " " + e.code : ""}): ${e.message}`);
  }
});
$("chat-input").addEventListener("keydown", (e) => { if (e.key === "Enter") $("chat-send").click(); });
$("publish-away").addEventListener("click", () => {
  const text = $("chat-input").value.trim() || "sent while you were away";
  $("chat-input").value = "";
  backend({ kind: "topic", value: TOPIC }, "chat.message", { user: "backend", text });
});

labels();
client.connect();

// --- what arrives ---

function notification(m) {
  item($("notifications"), m.payload?.message ?? JSON.stringify(m.payload));
}

function metrics(m) {
  $("metric-cpu").textContent = m.payload.cpu + " %";
  $("metric-rps").textContent = String(m.payload.rps);
  $("metric-queue").textContent = String(m.payload.queue);
  $("metrics-at").textContent = "updated " + new Date(m.ts).toLocaleTimeString();
}

function progress(m) {
  $("job-progress").value = m.payload.percent;
  $("job-status").textContent = m.payload.percent >= 100 ? `${m.payload.job} done`
    : `${m.payload.job} ${m.payload.percent} %`;
}

// --- the page as its own backend ---

function pushMetrics() {
  return backend({ kind: "role", value: identity.role }, "metrics", {
    cpu: Math.round(20 + Math.random() * 60), rps: Math.round(800 + Math.random() * 400),
    queue: Math.round(Math.random() * 30),
  });
}

async function backend(target, type, payload) {
  adminToken ??= mint({ sub: "demo-backend", roles: ["admin"], permissions: ["realtime:admin"], ttlSeconds: 86400 });
  try {
    const response = await fetch("/api/v1/messages", {
      method: "POST",
      headers: { Authorization: "Bearer " + await adminToken, "Content-Type": "application/json" },
      body: JSON.stringify({ target, type, payload }),
    });
    const body = await response.json();
    if (!response.ok) return log(`API ${response.status}: ${body.message}`);
    log(`API: ${type} to ${target.kind} ${target.value ?? ""} reached ${body.recipients} connection(s)`);
  } catch (e) {
    adminToken = undefined;
    log(`API call failed: ${e.message}`);
  }
}

async function mint(claims) {
  const response = await fetch("/dev/token", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(claims),
  });
  if (!response.ok) throw new Error(`POST /dev/token answered ${response.status}`);
  return (await response.json()).token;
}

// --- page helpers ---

function readIdentity() {
  return { user: $("user").value.trim() || "alice", role: $("role").value.trim() || "ops" };
}

function labels() {
  $("notify-user").textContent = identity.user;
  $("dashboard-role").textContent = identity.role;
}

function renderPresence() {
  const list = $("presence");
  list.replaceChildren(...[...online].sort().map((u) => {
    const li = document.createElement("li");
    li.textContent = u;
    return li;
  }));
}

function item(list, text) {
  const li = document.createElement("li");
  li.textContent = text;
  list.append(li);
  list.scrollTop = list.scrollHeight;
  return li;
}

function log(text) {
  const li = item($("log"), new Date().toLocaleTimeString() + "  " + text);
  while ($("log").children.length > 200) $("log").firstChild.remove();
  return li;
}
