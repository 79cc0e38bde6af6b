// Test doubles for the unit tests: a WebSocket that records what the client sends, a fetch
// that answers like the server's plain-HTTP refusal, a window with online/visibility events.

/** A WebSocket the test drives by hand; every instance is kept in `FakeWebSocket.all`. */
export class FakeWebSocket {
  /** @type {FakeWebSocket[]} */
  static all = [];

  static reset() {
    FakeWebSocket.all = [];
  }

  /** The newest socket. */
  static get last() {
    return FakeWebSocket.all[FakeWebSocket.all.length - 1];
  }

  constructor(url, protocols) {
    this.url = url;
    this.protocols = protocols;
    /** @type {any[]} parsed frames the client sent */
    this.sent = [];
    this.closedByClient = undefined;
    this.onopen = this.onmessage = this.onerror = this.onclose = null;
    FakeWebSocket.all.push(this);
  }

  send(text) {
    if (this.closedByClient) throw new Error("send after close");
    this.sent.push(JSON.parse(text));
  }

  close(code, reason) {
    this.closedByClient = { code, reason };
  }

  // --- the server's side ---

  open() {
    this.onopen?.({});
  }

  receive(frame) {
    this.onmessage?.({ data: typeof frame === "string" ? frame : JSON.stringify(frame) });
  }

  welcome(fields = {}) {
    this.open();
    this.receive({ type: "welcome", connectionId: "c-" + FakeWebSocket.all.length, userId: "alice",
      roles: [], heartbeatSeconds: 0, ...fields });
  }

  /** The server ends the connection with `code`. */
  serverClose(code, reason = "") {
    this.onclose?.({ code, reason });
  }

  /** A refused upgrade as a browser sees it: an error, then 1006, never an open. */
  refuse() {
    this.onerror?.({});
    this.onclose?.({ code: 1006, reason: "" });
  }

  /** Frames sent of one type. */
  sentOf(type) {
    return this.sent.filter((f) => f.type === type);
  }

  /** Answers the last request of `type` with an ack carrying `fields`. */
  ack(type, fields = {}) {
    const request = this.sentOf(type).at(-1);
    if (!request) throw new Error("no " + type + " was sent");
    this.receive({ type: type === "ping" ? "pong" : "ack", ref: request.ref, ...fields });
  }
}

/** A fetch that answers with `status`, a JSON body and headers; records its calls. */
export function fakeFetch(status, body, headers = {}) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init });
    if (status === "down") throw new TypeError("fetch failed");
    return {
      status,
      headers: { get: (name) => headers[name] ?? null },
      json: async () => body,
    };
  };
  fn.calls = calls;
  return fn;
}

/** A browser window with `online` and `visibilitychange`. */
export function fakeWindow() {
  const win = new EventTarget();
  win.navigator = { onLine: true };
  win.document = new EventTarget();
  win.document.visibilityState = "visible";
  return win;
}

/** A JWT-shaped token (unsigned) expiring at `exp` seconds. */
export function jwt(exp, sub = "alice") {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return part({ alg: "HS256", typ: "JWT" }) + "." + part({ sub, exp }) + ".sig";
}

/** Lets pending promise callbacks run (setImmediate is not mocked). */
export function flush() {
  return new Promise((resolve) => setImmediate(resolve));
}
