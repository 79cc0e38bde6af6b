// Unit tests of the client over a fake WebSocket; time comes from mocked timers only.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { RealtimeClient, RealtimeError, Subscription, backoff } from "../src/realtime.js";
import { FakeWebSocket, fakeFetch, fakeWindow, jwt, flush } from "./fakes.js";

const NOW = Date.UTC(2026, 11, 2, 9, 0, 0);

function setup(t, options = {}) {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"], now: NOW });
  FakeWebSocket.reset();
  const tokens = [];
  const getToken = async () => {
    const token = jwt(Math.floor(Date.now() / 1000) + 3600);
    tokens.push(token);
    return token;
  };
  const client = new RealtimeClient("ws://server.test/ws", {
    WebSocket: FakeWebSocket, window: undefined, random: () => 0.5,
    fetch: fakeFetch(400, { error: "upgrade_required", message: "GET /ws must be an upgrade" }),
    getToken, ...options,
  });
  const errors = [];
  const states = [];
  client.on("error", (e) => errors.push(e));
  client.on("state", ({ current }) => states.push(current));
  return { client, errors, states, tokens };
}

async function connected(t, options) {
  const s = setup(t, options);
  s.client.connect();
  await flush();
  FakeWebSocket.last.welcome();
  return s;
}

/** Ticks until the client opens a new socket; returns the ms it took (or Infinity). */
async function msUntilNextSocket(t, limit = 60_000, step = 10) {
  const before = FakeWebSocket.all.length;
  for (let waited = 0; waited <= limit; waited += step) {
    await flush();
    if (FakeWebSocket.all.length > before) return waited;
    t.mock.timers.tick(step);
  }
  return Infinity;
}

describe("connecting", () => {
  test("sends the token as a subprotocol and is connected after welcome", async (t) => {
    const { client, states, tokens } = setup(t);
    const welcomes = [];
    client.on("welcome", (w) => welcomes.push(w));
    client.connect();
    await flush();
    const ws = FakeWebSocket.last;
    assert.equal(ws.url, "ws://server.test/ws");
    assert.deepEqual(ws.protocols, ["realtime.v1", "bearer." + tokens[0]]);
    assert.equal(client.state, "connecting");
    ws.open();
    assert.equal(client.state, "connecting", "open is not enough: the welcome says accepted");
    ws.welcome({ connectionId: "n1-42" });
    assert.equal(client.state, "connected");
    assert.equal(client.connectionId, "n1-42");
    assert.equal(welcomes.length, 1);
    assert.deepEqual(states, ["connecting", "connected"]);
  });

  test("connect() while connecting or connected opens no second socket", async (t) => {
    const { client } = await connected(t);
    client.connect();
    client.connect();
    await flush();
    assert.equal(FakeWebSocket.all.length, 1);
  });

  test("connect() without any WebSocket class says so at once", (t) => {
    const { client } = setup(t, { WebSocket: undefined });
    const saved = globalThis.WebSocket;
    delete globalThis.WebSocket; // Node 20 without --experimental-websocket
    t.after(() => { if (saved) globalThis.WebSocket = saved; });
    assert.throws(() => client.connect(), /pass options.WebSocket/);
  });

  test("every on() returns a function that removes that listener", async (t) => {
    const { client } = setup(t);
    const seen = [];
    const off = client.on("state", (s) => seen.push(s.current));
    client.connect();
    off();
    off();
    await flush();
    FakeWebSocket.last.welcome();
    assert.deepEqual(seen, ["connecting"]);
  });

  test("a throwing listener is reported through error and breaks nothing", async (t) => {
    const { client, errors } = setup(t);
    client.on("welcome", () => { throw new Error("boom"); });
    const after = [];
    client.on("welcome", () => after.push("second listener ran"));
    client.connect();
    await flush();
    FakeWebSocket.last.welcome();
    assert.equal(client.state, "connected");
    assert.deepEqual(after, ["second listener ran"]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].kind, "listener");
    assert.equal(errors[0].cause.message, "boom");
    const sub = client.subscribe("news");
    sub.on("message", () => { throw new Error("bad handler"); });
    FakeWebSocket.last.ack("subscribe");
    FakeWebSocket.last.receive({ type: "headline", id: "1-a", topic: "news", payload: {}, ts: "t" });
    assert.equal(errors.length, 2);
    const p = client.ping();
    FakeWebSocket.last.ack("ping");
    await p;
  });
});

describe("close codes", () => {
  test("disconnect() closes with 1000 and is sticky", async (t) => {
    const { client, states } = await connected(t);
    const ws = FakeWebSocket.last;
    client.disconnect();
    assert.deepEqual(ws.closedByClient, { code: 1000, reason: "client disconnect" });
    ws.serverClose(1000); // the close event arrives later: it must not bring the socket back
    ws.serverClose(1006);
    assert.equal(await msUntilNextSocket(t, 120_000, 1000), Infinity);
    assert.equal(client.state, "disconnected");
    assert.deepEqual(states, ["connecting", "connected", "disconnected"]);
  });

  test("disconnect() during the token call drops the token's result", async (t) => {
    let release;
    const { client } = setup(t, { getToken: () => new Promise((r) => { release = r; }) });
    client.connect();
    await flush();
    client.disconnect();
    release(jwt(Math.floor(NOW / 1000) + 3600));
    await flush();
    assert.equal(FakeWebSocket.all.length, 0);
  });

  test("4003 (kicked) stops for good, and fails queued publishes", async (t) => {
    const { client, errors } = await connected(t);
    FakeWebSocket.last.serverClose(4003, "kicked");
    assert.equal(client.state, "disconnected");
    assert.equal(errors.at(-1).code, "kicked");
    await assert.rejects(client.publish("a", "b", {}), (e) => e.kind === "disconnected");
    assert.equal(await msUntilNextSocket(t, 120_000, 1000), Infinity);
    client.connect(); // only an explicit connect() comes back
    assert.equal(await msUntilNextSocket(t), 0);
  });

  test("1001 waits a random 0 to 5 s first", async (t) => {
    const { client } = await connected(t, { random: () => 0.9 });
    FakeWebSocket.last.serverClose(1001, "shutting down");
    assert.equal(client.state, "connecting");
    const waited = await msUntilNextSocket(t);
    assert.ok(waited >= 4490 && waited <= 4510, "0.9 of 5 s, got " + waited);
  });

  test("4001 fetches a fresh token and reconnects at once without counting a failure", async (t) => {
    const { tokens } = await connected(t);
    FakeWebSocket.last.serverClose(4001, "token expired");
    assert.equal(await msUntilNextSocket(t), 0);
    assert.equal(tokens.length, 2, "a fresh token after 4001");
    assert.deepEqual(FakeWebSocket.last.protocols, ["realtime.v1", "bearer." + tokens[1]]);
    FakeWebSocket.last.open();
    FakeWebSocket.last.serverClose(1013); // the first failure's delay: 4001 counted none
    const waited = await msUntilNextSocket(t);
    assert.ok(waited >= 500 && waited < 1000, "attempt 0 of backoff (750 ms), got " + waited);
  });

  test("4004 reconnects at once with jitter below the minimum delay", async (t) => {
    await connected(t, { random: () => 0.99 });
    FakeWebSocket.last.serverClose(4004, "resume needed");
    const waited = await msUntilNextSocket(t, 60_000, 5);
    assert.ok(waited < 500, "got " + waited);
  });

  for (const code of [1000, 1006, 1008, 1009, 1013]) { // 1000 not after disconnect(): a proxy's
    test(`${code} backs off with growing, bounded delays, reset only after welcome`, async (t) => {
      await connected(t, { random: () => 0.999 });
      FakeWebSocket.last.serverClose(code);
      const delays = [];
      for (let i = 0; i < 8; i++) {
        delays.push(await msUntilNextSocket(t, 30_000, 50));
        FakeWebSocket.last.open(); // accepted, then dropped before welcome: still a failure
        FakeWebSocket.last.serverClose(code);
      }
      // min + up to min * 2^attempt, capped at 20 s
      assert.deepEqual(delays.map((d) => Math.ceil(d / 50) * 50), [1000, 1500, 2500, 4500, 8500, 16500, 20000, 20000]);
      await msUntilNextSocket(t, 30_000, 50);
      FakeWebSocket.last.welcome(); // ...but a welcome resets the attempts
      FakeWebSocket.last.serverClose(code);
      assert.equal(await msUntilNextSocket(t, 30_000, 50), 1000);
    });
  }
});

describe("backoff", () => {
  test("full jitter between min and min * 2^attempt, never above max", () => {
    assert.equal(backoff(0, 500, 20000, () => 0), 500);
    assert.equal(backoff(0, 500, 20000, () => 0.9999), 1000);
    assert.equal(backoff(3, 500, 20000, () => 0.9999), 4500);
    assert.equal(backoff(40, 500, 20000, () => 0.9999), 20000);
    for (let attempt = 0; attempt < 50; attempt++) {
      const d = backoff(attempt, 500, 20000);
      assert.ok(d >= 500 && d <= 20000, `attempt ${attempt}: ${d}`);
    }
  });
});

describe("online and visibility", () => {
  test("offline spends no attempts; online and a visible tab reconnect at once", async (t) => {
    const win = fakeWindow();
    const { client } = await connected(t, { window: win });
    win.navigator.onLine = false;
    FakeWebSocket.last.serverClose(1006);
    assert.equal(await msUntilNextSocket(t, 120_000, 1000), Infinity, "no attempt while offline");
    assert.equal(client.state, "connecting");
    win.navigator.onLine = true;
    win.dispatchEvent(new Event("online"));
    assert.equal(await msUntilNextSocket(t), 0);
    FakeWebSocket.last.open();
    FakeWebSocket.last.serverClose(1006); // attempt 0 (750 ms): none was spent offline
    win.document.visibilityState = "visible";
    win.document.dispatchEvent(new Event("visibilitychange"));
    assert.equal(await msUntilNextSocket(t), 0, "a tab becoming visible reconnects at once");
    FakeWebSocket.last.open();
    FakeWebSocket.last.serverClose(1006);
    assert.equal(await msUntilNextSocket(t), 1000, "attempt 1: min + 0.5 * 2 * min");
    client.disconnect();
    win.dispatchEvent(new Event("online"));
    assert.equal(await msUntilNextSocket(t, 5000), Infinity, "disconnect() removed the hooks");
  });
});

describe("tokens", () => {
  test("concurrent needs share one getToken call", async (t) => {
    let calls = 0;
    let release;
    const { client } = setup(t, {
      getToken: () => { calls++; return new Promise((r) => { release = r; }); },
      window: fakeWindow(),
    });
    client.connect();
    client.connect();
    client.options.window.dispatchEvent(new Event("online")); // a second need while the first waits
    await flush();
    release(jwt(Math.floor(NOW / 1000) + 3600));
    await flush();
    assert.equal(calls, 1);
    assert.equal(FakeWebSocket.all.length, 1, "one socket for the shared token");
  });

  test("a valid cached token is reused on reconnect; none is fetched while it lasts", async (t) => {
    const { tokens } = await connected(t);
    FakeWebSocket.last.serverClose(1006);
    await msUntilNextSocket(t);
    assert.equal(tokens.length, 1);
  });

  test("sends refresh before exp and keeps the connection", async (t) => {
    const { client, tokens } = setup(t, {
      getToken: async () => {
        const token = jwt(Math.floor(Date.now() / 1000) + 120);
        tokens.push(token);
        return token;
      },
    });
    client.connect();
    await flush();
    FakeWebSocket.last.welcome();
    t.mock.timers.tick(89_000);
    await flush();
    assert.equal(FakeWebSocket.last.sentOf("refresh").length, 0);
    t.mock.timers.tick(1_000); // exp - 30 s
    await flush();
    const refresh = FakeWebSocket.last.sentOf("refresh");
    assert.equal(refresh.length, 1);
    assert.equal(refresh[0].token, tokens[1]);
    FakeWebSocket.last.ack("refresh");
    await flush();
    t.mock.timers.tick(90_000); // the new token's exp - 30 s
    await flush();
    assert.equal(FakeWebSocket.last.sentOf("refresh").length, 2);
    assert.equal(FakeWebSocket.all.length, 1);
  });

  test("a refresh token that arrives after its connection ended is dropped", async (t) => {
    let release;
    let calls = 0;
    const { client } = setup(t, {
      getToken: () => {
        calls++;
        if (calls === 1) return jwt(Math.floor(Date.now() / 1000) + 60);
        return new Promise((r) => { release = r; });
      },
    });
    client.connect();
    await flush();
    const first = FakeWebSocket.last;
    first.welcome();
    t.mock.timers.tick(30_000); // refresh starts
    await flush();
    assert.equal(calls, 2);
    first.serverClose(1006);
    release(jwt(Math.floor(Date.now() / 1000) + 3600));
    await flush();
    assert.equal(first.sentOf("refresh").length, 0, "not sent on the ended connection");
  });

  test("after a long sleep the socket counts as dead and a fresh token is fetched", async (t) => {
    const { client, tokens } = setup(t);
    client.connect();
    await flush();
    FakeWebSocket.last.welcome({ heartbeatSeconds: 30 });
    const asleep = FakeWebSocket.last;
    t.mock.timers.setTime(NOW + 2 * 3600_000); // the laptop slept two hours (the token is expired)
    t.mock.timers.tick(30_000);
    assert.ok(asleep.closedByClient, "the old socket is dropped");
    await msUntilNextSocket(t);
    assert.equal(tokens.length, 2);
  });
});

describe("refused handshakes are explained", () => {
  test("401: error unauthorized from the refusal's JSON; the next attempt gets a fresh token", async (t) => {
    const fetch = fakeFetch(401, { error: "unauthorized", message: "token expired" });
    const { client, errors, tokens } = setup(t, { fetch });
    client.connect();
    await flush();
    FakeWebSocket.last.refuse();
    await flush();
    assert.equal(fetch.calls[0].url, "http://server.test/ws");
    assert.equal(fetch.calls[0].init.headers.Authorization, "Bearer " + tokens[0]);
    assert.equal(errors[0].kind, "unauthorized");
    assert.equal(errors[0].status, 401);
    assert.match(errors[0].message, /token expired/);
    await msUntilNextSocket(t);
    assert.equal(tokens.length, 2);
  });

  test("503 with Retry-After waits at least that long", async (t) => {
    const fetch = fakeFetch(503, { error: "overloaded", message: "at its connection limit" }, { "Retry-After": "7" });
    const { client, errors } = setup(t, { fetch });
    client.connect();
    await flush();
    FakeWebSocket.last.refuse();
    const waited = await msUntilNextSocket(t, 60_000, 100);
    assert.equal(errors[0].kind, "refused");
    assert.equal(errors[0].code, "overloaded");
    assert.equal(errors[0].retryAfter, 7);
    assert.ok(waited >= 7000, "got " + waited);
  });

  test("from a page on another origin it asks with ?token= and no header (no CORS preflight)", async (t) => {
    globalThis.location = { origin: "https://app.example", protocol: "https:", host: "app.example" };
    t.after(() => { delete globalThis.location; });
    const fetch = fakeFetch(401, { error: "unauthorized", message: "expired" });
    const { client, tokens } = setup(t, { fetch });
    client.connect();
    await flush();
    FakeWebSocket.last.refuse();
    await flush();
    assert.equal(fetch.calls[0].url, "http://server.test/ws?token=" + encodeURIComponent(tokens[0]));
    assert.deepEqual(fetch.calls[0].init.headers, {});
    const samePage = new RealtimeClient("/ws", { WebSocket: FakeWebSocket, window: undefined });
    assert.equal(samePage.url, "wss://app.example/ws", "a path resolves against the page");
  });

  test("429 and a server that is down are told apart", async (t) => {
    const { client, errors } = setup(t, { fetch: fakeFetch(429, { error: "too_many_connections", message: "16" }) });
    client.connect();
    await flush();
    FakeWebSocket.last.refuse();
    await flush();
    assert.equal(errors[0].code, "too_many_connections");
    assert.equal(errors[0].status, 429);
    client.options.fetch = fakeFetch("down");
    await msUntilNextSocket(t);
    FakeWebSocket.last.refuse();
    await flush();
    assert.equal(errors[1].kind, "disconnected");
    assert.match(errors[1].message, /unreachable/);
  });
});

describe("subscriptions", () => {
  test("are reference-counted: the wire unsubscribe goes with the last handle, one tick later", async (t) => {
    const { client } = await connected(t);
    const ws = FakeWebSocket.last;
    const a = client.subscribe("order:1");
    const b = client.subscribe("order:1");
    assert.ok(a instanceof Subscription && a !== b);
    assert.equal(ws.sentOf("subscribe").length, 1);
    a.unsubscribe();
    a.unsubscribe();
    t.mock.timers.tick(10);
    assert.equal(ws.sentOf("unsubscribe").length, 0);
    b.unsubscribe();
    assert.equal(ws.sentOf("unsubscribe").length, 0, "not in the same tick");
    t.mock.timers.tick(1);
    assert.deepEqual(ws.sentOf("unsubscribe").map((f) => f.topic), ["order:1"]);
  });

  test("mount, unmount, mount (React StrictMode) costs no traffic", async (t) => {
    const { client } = await connected(t);
    const ws = FakeWebSocket.last;
    const first = client.subscribe("room:1", { presence: true });
    first.unsubscribe();
    const second = client.subscribe("room:1", { presence: true });
    t.mock.timers.tick(100);
    assert.deepEqual(ws.sent.map((f) => f.type), ["subscribe"]);
    const got = [];
    second.on("message", (m) => got.push(m.id));
    ws.ack("subscribe");
    ws.receive({ type: "chat", id: "1-x", topic: "room:1", payload: {}, ts: "t" });
    assert.deepEqual(got, ["1-x"]);
  });

  test("a second handle on a subscribed topic hears subscribed too", async (t) => {
    const { client } = await connected(t);
    client.subscribe("news");
    FakeWebSocket.last.ack("subscribe");
    const late = client.subscribe("news");
    const seen = [];
    late.on("subscribed", (s) => seen.push(s));
    await flush();
    assert.deepEqual(seen, [{ recovered: false, resumed: false, since: undefined }]);
  });

  test("messages go to the topic's handles; others to the client's message listeners", async (t) => {
    const { client } = await connected(t);
    const ws = FakeWebSocket.last;
    const sub = client.subscribe("news");
    const onTopic = [];
    const onClient = [];
    sub.on("message", (m) => onTopic.push(m.id));
    client.on("message", (m) => onClient.push(m.id));
    ws.receive({ type: "headline", id: "1-a", topic: "news", payload: {}, ts: "t" });
    ws.receive({ type: "notification", id: "u1", payload: {}, ts: "t" });
    assert.deepEqual(onTopic, ["1-a"]);
    assert.deepEqual(onClient, ["u1"]);
  });

  test("a refused subscribe reaches the handle's error listeners as a server error", async (t) => {
    const { client, errors } = await connected(t);
    const sub = client.subscribe("secret");
    const subErrors = [];
    sub.on("error", (e) => subErrors.push(e));
    const req = FakeWebSocket.last.sentOf("subscribe")[0];
    FakeWebSocket.last.receive({ type: "error", ref: req.ref, code: "forbidden", message: "no" });
    await flush();
    assert.equal(subErrors[0].kind, "server");
    assert.equal(subErrors[0].code, "forbidden");
    assert.equal(errors.length, 0, "heard by the subscription, not repeated on the client");
  });
});

describe("resume", () => {
  test("after a reconnect every live topic resubscribes with since, in one batch after welcome", async (t) => {
    const { client } = await connected(t);
    let ws = FakeWebSocket.last;
    const news = client.subscribe("news");
    const chat = client.subscribe("chat", { presence: true });
    const gone = client.subscribe("gone");
    ws.sentOf("subscribe").forEach(() => {});
    for (const f of ws.sentOf("subscribe")) ws.receive({ type: "ack", ref: f.ref });
    ws.receive({ type: "headline", id: "5-e1", topic: "news", payload: {}, ts: "t" });
    ws.receive({ type: "headline", id: "6-e1", topic: "news", payload: {}, ts: "t" });
    ws.receive({ type: "chat", id: "2-e1", topic: "chat", payload: {}, ts: "t" });
    gone.unsubscribe();
    t.mock.timers.tick(1);
    ws.serverClose(1013);
    await msUntilNextSocket(t);
    ws = FakeWebSocket.last;
    ws.open();
    assert.equal(ws.sent.length, 0, "nothing before welcome");
    const subscribed = [];
    news.on("subscribed", (s) => subscribed.push(["news", s]));
    chat.on("subscribed", (s) => subscribed.push(["chat", s]));
    ws.welcome();
    const subs = ws.sentOf("subscribe");
    assert.deepEqual(subs.map(({ topic, since, presence }) => ({ topic, since, presence })), [
      { topic: "news", since: "6-e1", presence: undefined },
      { topic: "chat", since: "2-e1", presence: true },
    ]);
    ws.receive({ type: "ack", ref: subs[0].ref, recovered: true });
    ws.receive({ type: "ack", ref: subs[1].ref, recovered: false });
    await flush();
    assert.deepEqual(subscribed, [
      ["news", { recovered: true, resumed: true, since: "6-e1" }],
      ["chat", { recovered: false, resumed: true, since: "2-e1" }],
    ]);
  });

  test("a message whose id was already delivered is dropped", async (t) => {
    const { client } = await connected(t);
    const ws = FakeWebSocket.last;
    const sub = client.subscribe("news");
    const got = [];
    sub.on("message", (m) => got.push(m.id));
    for (const id of ["1-a", "2-a", "2-a", "1-a", "3-a"]) {
      ws.receive({ type: "headline", id, topic: "news", payload: {}, ts: "t" });
    }
    assert.deepEqual(got, ["1-a", "2-a", "3-a"]);
  });

  test("a topic without history is subscribed again without since, reported as not recovered", async (t) => {
    const { client } = await connected(t);
    const ws = FakeWebSocket.last;
    const sub = client.subscribe("live", { since: "9-a" });
    const seen = [];
    sub.on("subscribed", (s) => seen.push(s));
    const first = ws.sentOf("subscribe")[0];
    ws.receive({ type: "error", ref: first.ref, code: "history_unavailable", message: "no history" });
    await flush();
    const second = ws.sentOf("subscribe")[1];
    assert.equal(second.since, undefined);
    ws.receive({ type: "ack", ref: second.ref });
    await flush();
    assert.deepEqual(seen, [{ recovered: false, resumed: true, since: "9-a" }]);
  });

  test("a subscribe refused as unavailable (backplane down) is tried again on the same connection", async (t) => {
    const { client } = await connected(t);
    const ws = FakeWebSocket.last;
    const sub = client.subscribe("news");
    const errors = [];
    sub.on("error", (e) => errors.push(e.code));
    ws.receive({ type: "error", ref: ws.sentOf("subscribe")[0].ref, code: "unavailable", message: "backplane down" });
    await flush();
    assert.deepEqual(errors, ["unavailable"]);
    t.mock.timers.tick(3000);
    assert.equal(ws.sentOf("subscribe").length, 2);
  });

  test("since given to subscribe is sent on the first subscribe", async (t) => {
    const { client } = await connected(t);
    client.subscribe("news", { since: "41-z" });
    assert.equal(FakeWebSocket.last.sentOf("subscribe")[0].since, "41-z");
  });
});

describe("requests", () => {
  test("publish resolves on ack and rejects a server error with its code", async (t) => {
    const { client } = await connected(t);
    const ws = FakeWebSocket.last;
    const ok = client.publish("room:1", "chat", { text: "hi" });
    const sent = ws.sentOf("publish")[0];
    assert.deepEqual({ ...sent, ref: undefined }, { type: "publish", topic: "room:1", event: "chat", payload: { text: "hi" }, ref: undefined });
    ws.receive({ type: "ack", ref: sent.ref });
    assert.equal((await ok).ref, sent.ref);
    const refused = client.publish("room:1", "chat", {});
    ws.receive({ type: "error", ref: ws.sentOf("publish")[1].ref, code: "forbidden", message: "no publish permission" });
    await assert.rejects(refused, (e) => e instanceof RealtimeError && e.kind === "server" && e.code === "forbidden");
  });

  test("a request without an answer times out after 5 s", async (t) => {
    const { client } = await connected(t);
    const p = client.ping();
    let settled = false;
    p.catch(() => {}).finally(() => { settled = true; });
    t.mock.timers.tick(4999);
    await flush();
    assert.equal(settled, false);
    t.mock.timers.tick(1);
    await assert.rejects(p, (e) => e.kind === "timeout");
    const custom = client.publish("a", "b", {}, { timeout: 100 });
    t.mock.timers.tick(100);
    await assert.rejects(custom, (e) => e.kind === "timeout");
  });

  test("on disconnect every pending request rejects disconnected; a sent publish is never re-sent", async (t) => {
    const { client } = await connected(t);
    const ws = FakeWebSocket.last;
    const pub = client.publish("room:1", "chat", { n: 1 });
    const ping = client.ping();
    ws.serverClose(1006);
    await assert.rejects(pub, (e) => e.kind === "disconnected");
    await assert.rejects(ping, (e) => e.kind === "disconnected");
    await msUntilNextSocket(t);
    FakeWebSocket.last.welcome();
    assert.equal(FakeWebSocket.last.sentOf("publish").length, 0);
  });

  test("publishes made while disconnected wait in a bounded queue, their timeout running", async (t) => {
    const { client } = setup(t, { queueSize: 2 });
    client.connect();
    const first = client.publish("q", "e", { n: 1 });
    const second = client.publish("q", "e", { n: 2 }, { timeout: 50 });
    await assert.rejects(client.publish("q", "e", { n: 3 }), (e) => e.kind === "queue_full");
    t.mock.timers.tick(50);
    await assert.rejects(second, (e) => e.kind === "timeout");
    await flush();
    FakeWebSocket.last.welcome();
    const sent = FakeWebSocket.last.sentOf("publish");
    assert.deepEqual(sent.map((f) => f.payload), [{ n: 1 }]);
    FakeWebSocket.last.ack("publish");
    await first;
  });

  test("queueWhileDisconnected: false fails at once; ping never waits", async (t) => {
    const { client } = setup(t, { queueWhileDisconnected: false });
    client.connect();
    await assert.rejects(client.publish("q", "e", {}), (e) => e.kind === "disconnected");
    await assert.rejects(client.ping(), (e) => e.kind === "disconnected");
  });

  test("before connect() a publish fails with disconnected", async (t) => {
    const { client } = setup(t);
    await assert.rejects(client.publish("q", "e", {}), (e) => e.kind === "disconnected");
  });
});

describe("heartbeat", () => {
  test("pings every heartbeatSeconds; a connection silent past that plus the timeout is reconnected", async (t) => {
    const { client, errors } = setup(t);
    client.connect();
    await flush();
    const ws = FakeWebSocket.last;
    ws.welcome({ heartbeatSeconds: 30 });
    t.mock.timers.tick(29_999);
    assert.equal(ws.sentOf("ping").length, 0);
    t.mock.timers.tick(1);
    assert.equal(ws.sentOf("ping").length, 1);
    ws.ack("ping");
    t.mock.timers.tick(30_000);
    assert.equal(ws.sentOf("ping").length, 2);
    t.mock.timers.tick(4_999);
    await flush();
    assert.equal(ws.closedByClient, undefined);
    t.mock.timers.tick(1); // no pong within the heartbeat timeout: dead
    await flush();
    assert.equal(ws.closedByClient?.code, 4000);
    assert.equal(errors.at(-1).kind, "timeout");
    assert.equal(client.state, "connecting");
    assert.ok((await msUntilNextSocket(t)) >= 500);
  });
});

describe("the d.ts names what the module exports", () => {
  test("methods and exports exist", () => {
    for (const m of ["on", "connect", "disconnect", "subscribe", "publish", "request", "ping"]) {
      assert.equal(typeof RealtimeClient.prototype[m], "function", m);
    }
    for (const m of ["on", "publish", "unsubscribe"]) {
      assert.equal(typeof Subscription.prototype[m], "function", m);
    }
    assert.equal(new RealtimeError("timeout", "x").name, "RealtimeError");
  });
});
