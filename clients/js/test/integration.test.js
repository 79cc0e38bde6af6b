// The client against the real server (the jar, started by the test), on both transports.
import { test, describe, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import WebSocket from "ws";
import { RealtimeClient } from "../src/realtime.js";
import { startServer, skipReason, next, sleep } from "./server.js";

const skip = skipReason();
if (skip) console.log("# integration tests skipped: " + skip);

const CLAIMS = { sub: "alice", roles: ["ops"], permissions: ["realtime:publish"], topics: ["room:*", "news"] };

for (const transport of ["jetty", "undertow"]) {
  describe(`against the server on ${transport}`, { skip, concurrency: false }, () => {
    let server;
    const clients = [];

    before(async () => { server = await startServer({ transport }); });
    after(async () => { await server?.stop(); });
    afterEach(() => { for (const c of clients.splice(0)) c.disconnect(); });

    function client(options = {}, claims = CLAIMS) {
      const calls = { getToken: 0 };
      const c = new RealtimeClient(options.url ?? server.wsUrl, {
        WebSocket, window: undefined, minReconnectDelay: 100, maxReconnectDelay: 500,
        getToken: () => { calls.getToken++; return server.token(claims); },
        ...options,
      });
      c.calls = calls;
      clients.push(c);
      return c;
    }

    test("GET /realtime.js and /realtime.d.ts serve this client", async () => {
      const js = await fetch(server.base + "/realtime.js");
      assert.equal(js.status, 200);
      assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
      assert.ok(await js.text() === readFileSync(new URL("../src/realtime.js", import.meta.url), "utf8"),
        "the jar serves another realtime.js than src/: rebuild it");
      const types = await fetch(server.base + "/realtime.d.ts");
      assert.equal(types.status, 200);
      assert.ok(await types.text() === readFileSync(new URL("../src/realtime.d.ts", import.meta.url), "utf8"),
        "the jar serves another realtime.d.ts than src/: rebuild it");
    });

    test("connects, subscribes, receives from the API and publishes", async () => {
      const c = client();
      const welcome = next(c, "welcome");
      c.connect();
      const w = await welcome;
      assert.equal(w.userId, "alice");
      assert.equal(c.state, "connected");
      const sub = c.subscribe("room:1");
      await next(sub, "subscribed");
      const fromApi = next(sub, "message");
      const published = await server.api("POST", "/api/v1/messages",
        { target: { kind: "topic", value: "room:1" }, type: "chat", payload: { text: "from the API" } });
      assert.equal(published.status, 202);
      assert.deepEqual((await fromApi).payload, { text: "from the API" });
      const own = next(sub, "message", (m) => m.payload.text === "from the client");
      const ack = await c.publish("room:1", "chat", { text: "from the client" });
      assert.equal(ack.type, "ack");
      assert.equal((await own).topic, "room:1");
      const toUser = next(c, "message", (m) => m.type === "notification");
      await server.api("POST", "/api/v1/messages",
        { target: { kind: "user", value: "alice" }, type: "notification", payload: { message: "hi" } });
      assert.equal((await toUser).payload.message, "hi");
      await c.ping();
    });

    test("a forbidden publish rejects a server error with its code", async () => {
      const c = client();
      c.connect();
      await next(c, "welcome");
      await assert.rejects(c.publish("secret:1", "chat", {}),
        (e) => e.name === "RealtimeError" && e.kind === "server" && e.code === "forbidden");
      const denied = c.subscribe("secret:1");
      const error = await next(denied, "error");
      assert.equal(error.code, "forbidden");
    });

    test("a refused handshake is explained: 401 with the server's message", async () => {
      const c = client({ getToken: () => "not-a-jwt" });
      const refused = next(c, "error");
      c.connect();
      const e = await refused;
      assert.equal(e.kind, "unauthorized");
      assert.equal(e.status, 401);
      assert.match(e.message, /well-formed JWT/);
    });

    test("missed messages are recovered after disconnect and connect", async () => {
      const c = client();
      c.connect();
      await next(c, "welcome");
      const sub = c.subscribe("news");
      await next(sub, "subscribed");
      const first = next(sub, "message");
      await server.api("POST", "/api/v1/messages", { target: { kind: "topic", value: "news" }, type: "headline", payload: { n: 0 } });
      await first;
      c.disconnect();
      for (const n of [1, 2]) {
        await server.api("POST", "/api/v1/messages", { target: { kind: "topic", value: "news" }, type: "headline", payload: { n } });
      }
      const got = [];
      sub.on("message", (m) => got.push(m.payload.n));
      const since = sub.lastId;
      assert.ok(since, "the id of the message seen before the disconnect");
      const resumed = next(sub, "subscribed");
      c.connect();
      assert.deepEqual(await resumed, { resumed: true, recovered: true, since });
      await waitFor(() => got.length === 2);
      assert.deepEqual(got, [1, 2]);
    });

    test("the token is refreshed before it expires and the connection stays", async () => {
      // a 2 s token, no skew: without the refresh the server closes with 4001 at 2 s
      const local = await startServer({ transport, args: ["--jwt-clock-skew-seconds=0"] });
      try {
        const c = client({ url: local.wsUrl, getToken: () => { c.calls.getToken++; return local.token({ ...CLAIMS, ttlSeconds: 2 }); } });
        const closes = [];
        c.on("close", (e) => closes.push(e.code));
        c.connect();
        const w = await next(c, "welcome");
        await sleep(3500);
        assert.deepEqual(closes, []);
        assert.equal(c.connectionId, w.connectionId, "the same connection");
        assert.ok(c.calls.getToken >= 2, "refreshed with a new token");
        await c.ping();
      } finally {
        await local.stop();
      }
    });

    test("after a server restart the client comes back by itself and resumes with since", async () => {
      const local = await startServer({ transport });
      let again;
      try {
        const c = client({ url: local.wsUrl, getToken: () => (again ?? local).token(CLAIMS) });
        c.connect();
        await next(c, "welcome");
        const sub = c.subscribe("room:restart");
        await next(sub, "subscribed");
        const got = next(sub, "message");
        await local.api("POST", "/api/v1/messages", { target: { kind: "topic", value: "room:restart" }, type: "chat", payload: { n: 1 } });
        await got;
        const closed = next(c, "close");
        await local.stop();
        assert.equal((await closed).code, 1001, "a graceful drain");
        again = await startServer({ transport, port: local.port });
        const resumed = await next(sub, "subscribed", () => true, 20_000);
        // history lived in the old process: the client is told to reload its state
        assert.equal(resumed.resumed, true);
        assert.equal(resumed.recovered, false);
        const live = next(sub, "message");
        await again.api("POST", "/api/v1/messages", { target: { kind: "topic", value: "room:restart" }, type: "chat", payload: { n: 2 } });
        assert.equal((await live).payload.n, 2);
      } finally {
        await local.stop();
        await again?.stop();
      }
    });

    test("a kick (4003) stops the client for good", async () => {
      const c = client();
      c.connect();
      const w = await next(c, "welcome");
      const closed = next(c, "close");
      const kicked = await server.api("DELETE", "/api/v1/connections/" + encodeURIComponent(w.connectionId));
      assert.equal(kicked.status, 204);
      assert.equal((await closed).code, 4003);
      assert.equal(c.state, "disconnected");
      await sleep(1000);
      assert.equal(c.state, "disconnected");
      assert.equal(c.calls.getToken, 1, "no reconnect attempt");
    });
  });
}

async function waitFor(condition, ms = 10_000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error("condition not met within " + ms + " ms");
    await sleep(20);
  }
}
