// The official JavaScript client of the realtime server (wire contract v1.1, docs/PROTOCOL.md).
// One ES module, no runtime dependencies; browsers and Node 20+ (inject a WebSocket class).
// Types: realtime.d.ts beside this file (also served at GET /realtime.d.ts).

/** @typedef {"disconnected" | "connecting" | "connected"} ClientState */
/** @typedef {"timeout" | "server" | "disconnected" | "queue_full" | "unauthorized" | "refused" | "listener" | "protocol"} ErrorKind */

const SUBPROTOCOL = "realtime.v1";
const DEFAULTS = Object.freeze({
  minReconnectDelay: 500,
  maxReconnectDelay: 20000,
  requestTimeout: 5000,
  heartbeatTimeout: 5000,
  queueSize: 100,
  queueWhileDisconnected: true,
  refreshMargin: 30000,
  sleepThreshold: 30000,
  drainDelay: 5000,
  dedupeWindow: 500,
});

/** The error every failed request rejects with, and every `error` event carries. */
export class RealtimeError extends Error {
  /**
   * @param {ErrorKind} kind
   * @param {string} message
   * @param {{code?: string, status?: number, retryAfter?: number, cause?: unknown}} [details]
   */
  constructor(kind, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "RealtimeError";
    /** @type {ErrorKind} */
    this.kind = kind;
    /** @type {string | undefined} the server's error code, such as `forbidden` */
    this.code = details.code;
    /** @type {number | undefined} the HTTP status of a refused handshake */
    this.status = details.status;
    /** @type {number | undefined} seconds, from a refusal's `Retry-After` */
    this.retryAfter = details.retryAfter;
  }
}

/**
 * Centrifuge-js's full jitter: a delay drawn uniformly between `min` and
 * `min + min(max, min * 2^attempt)`, capped at `max`.
 * @param {number} attempt failures so far, from 0
 * @param {number} min milliseconds
 * @param {number} max milliseconds
 * @param {() => number} [random] in [0, 1)
 */
export function backoff(attempt, min, max, random = Math.random) {
  const step = Math.min(attempt, 31);
  const interval = Math.floor(random() * (Math.min(max, min * 2 ** step) + 1));
  return Math.min(max, min + interval);
}

/** A tiny listener registry: `on` returns its own remover; a throwing listener is reported. */
class Emitter {
  /** @param {(error: unknown, event: string) => void} onListenerError */
  constructor(onListenerError) {
    /** @type {Map<string, Set<Function>>} */
    this._listeners = new Map();
    this._onListenerError = onListenerError;
  }

  /**
   * @param {string} event
   * @param {Function} listener
   * @returns {() => void} removes the listener
   */
  on(event, listener) {
    if (typeof listener !== "function") throw new TypeError("listener must be a function");
    let set = this._listeners.get(event);
    if (!set) this._listeners.set(event, (set = new Set()));
    // a wrapper, so the same function added twice is two listeners, each removed on its own
    const entry = (/** @type {unknown} */ value) => listener(value);
    set.add(entry);
    return () => { set.delete(entry); };
  }

  /** @param {string} event */
  has(event) {
    const set = this._listeners.get(event);
    return !!set && set.size > 0;
  }

  /** @param {string} event @param {unknown} value */
  emit(event, value) {
    const set = this._listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(value);
      } catch (e) {
        this._onListenerError(e, event);
      }
    }
  }
}

/** Decodes a JWT's `exp` (seconds); undefined when the token is opaque. */
function tokenExpiry(token) {
  try {
    const part = token.split(".")[1];
    if (!part) return undefined;
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const json = JSON.parse(atob(base64 + "===".slice((base64.length + 3) % 4)));
    return typeof json.exp === "number" ? json.exp : undefined;
  } catch {
    return undefined;
  }
}

/** `ws://h/ws` to `http://h/ws`, a path to an absolute URL on the page's origin. */
function resolveUrl(url) {
  if (/^wss?:\/\//i.test(url)) return url;
  if (/^https?:\/\//i.test(url)) return url.replace(/^http/i, "ws");
  const location = typeof globalThis.location === "object" ? globalThis.location : undefined;
  if (location && url.startsWith("/")) {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + url;
  }
  throw new TypeError("url must be ws://, wss:// or a path on this page's origin: " + url);
}

/**
 * One handle on a topic. Several handles may share a topic; the wire subscription lasts
 * while at least one is live.
 */
export class Subscription {
  /** @param {RealtimeClient} client @param {TopicState} state */
  constructor(client, state) {
    this.topic = state.topic;
    this._client = client;
    this._state = state;
    this._emitter = new Emitter((e, event) => client._listenerFailed(e, event));
    this._live = true;
  }

  /** Whether the server has acknowledged the topic's subscription on the current connection. */
  get subscribed() {
    return this._live && this._state.wire === "subscribed";
  }

  /** Whether `unsubscribe()` has not been called yet. */
  get active() {
    return this._live;
  }

  /** The id of the last message delivered on this topic (what a resume sends as `since`). */
  get lastId() {
    return this._state.lastId;
  }

  /**
   * @param {"message" | "presence" | "subscribed" | "error" | "unsubscribed"} event
   * @param {Function} listener
   * @returns {() => void}
   */
  on(event, listener) {
    return this._emitter.on(event, listener);
  }

  /** Publishes on this subscription's topic; see {@link RealtimeClient#publish}. */
  publish(event, payload, options) {
    return this._client.publish(this.topic, event, payload, options);
  }

  /** Releases this handle; the wire `unsubscribe` goes out one tick after the last one goes. */
  unsubscribe() {
    if (!this._live) return;
    this._live = false;
    this._client._release(this);
    this._emitter.emit("unsubscribed", { topic: this.topic });
  }
}

/**
 * @typedef {object} TopicState
 * @property {string} topic
 * @property {Set<Subscription>} handles
 * @property {boolean} presence
 * @property {string | undefined} lastId
 * @property {string[]} seen recent ids, oldest first
 * @property {Set<string>} seenSet
 * @property {"none" | "subscribing" | "subscribed"} wire
 * @property {any} releaseTimer
 * @property {{recovered: boolean, resumed: boolean} | undefined} lastAck
 */

/** A client of one realtime server: one socket at a time, reconnected until `disconnect()`. */
export class RealtimeClient {
  /**
   * @param {string} url `ws://host/ws`, `wss://host/ws`, or a path such as `/ws` in a browser
   * @param {import("./realtime.d.ts").RealtimeClientOptions} [options]
   */
  constructor(url, options = {}) {
    this.url = resolveUrl(url);
    this.options = { ...DEFAULTS, ...options };
    /** @type {ClientState} */
    this.state = "disconnected";
    /** @type {any} the last `welcome` frame */
    this.welcome = undefined;
    this._emitter = new Emitter((e, event) => this._listenerFailed(e, event));
    this._wanted = false;
    this._epoch = 0; // one per socket attempt: results of an ended attempt are dropped
    this._socket = undefined;
    this._attempts = 0;
    this._reconnectTimer = undefined;
    this._heartbeatTimer = undefined;
    this._refreshTimer = undefined;
    this._token = undefined;
    this._tokenExp = undefined;
    this._tokenStale = true;
    this._tokenCall = undefined;
    this._refs = 0;
    /** @type {Map<string, PendingRequest>} */
    this._pending = new Map();
    /** @type {PendingRequest[]} */
    this._queue = [];
    /** @type {Map<string, TopicState>} */
    this._topics = new Map();
    this._lastFrameAt = 0;
    this._waitingOnline = false;
    this._windowHooks = undefined;
  }

  /**
   * @param {"state" | "welcome" | "error" | "message" | "close" | "reconnecting"} event
   * @param {Function} listener
   * @returns {() => void} removes the listener
   */
  on(event, listener) {
    return this._emitter.on(event, listener);
  }

  /** Starts connecting (and keeps reconnecting) until `disconnect()`. Does nothing if already on. */
  connect() {
    const WebSocketClass = this.options.WebSocket ?? globalThis.WebSocket;
    if (typeof WebSocketClass !== "function") {
      throw new TypeError("no WebSocket class here: pass options.WebSocket (in Node, the ws package)");
    }
    this._wanted = true;
    this._hookWindow();
    if (this.state === "disconnected") {
      this._setState("connecting");
      this._open();
    } else if (this._reconnectTimer !== undefined || this._waitingOnline) {
      // an explicit connect() while waiting out a backoff: try now
      this._clearReconnect();
      this._open();
    }
  }

  /**
   * Closes the socket with 1000 and stays disconnected until the next `connect()`, which asks
   * `getToken` again (the user may have changed). Subscriptions stay and resume on that connect.
   */
  disconnect() {
    this._wanted = false;
    this._tokenStale = true;
    this._unhookWindow();
    this._clearReconnect();
    const socket = this._socket;
    this._endSocket(new RealtimeError("disconnected", "disconnect() was called"));
    if (socket) {
      try { socket.close(1000, "client disconnect"); } catch { /* already closing */ }
    }
    for (const entry of this._queue.splice(0)) {
      entry.fail(new RealtimeError("disconnected", "disconnect() was called"));
    }
    this._setState("disconnected");
  }

  /**
   * Subscribes to a topic; returns a new handle every time. While connected the wire
   * `subscribe` goes out at once; after every reconnect it is sent again with `since`.
   * @param {string} topic
   * @param {{presence?: boolean, since?: string}} [options]
   * @returns {Subscription}
   */
  subscribe(topic, options = {}) {
    if (typeof topic !== "string" || topic === "") throw new TypeError("topic must be a non-empty string");
    let state = this._topics.get(topic);
    if (!state) {
      state = {
        topic, handles: new Set(), presence: !!options.presence, lastId: options.since,
        seen: [], seenSet: new Set(), wire: "none", releaseTimer: undefined, lastAck: undefined,
      };
      this._topics.set(topic, state);
    }
    if (state.releaseTimer !== undefined) {
      clearTimeout(state.releaseTimer);
      state.releaseTimer = undefined;
    }
    const sub = new Subscription(this, state);
    state.handles.add(sub);
    if (state.wire === "none" && this.state === "connected") {
      this._sendSubscribe(state);
    } else if (state.wire === "subscribed" && state.lastAck) {
      const ack = state.lastAck;
      queueMicrotask(() => { if (sub.active) sub._emitter.emit("subscribed", ack); });
    }
    return sub;
  }

  /**
   * Publishes `payload` as an `event` message on `topic`. Resolves on the server's `ack`;
   * rejects a RealtimeError. While disconnected it waits in a bounded queue (its timeout
   * running) unless `queueWhileDisconnected` is false. Never sent twice.
   * @param {string} topic
   * @param {string} event
   * @param {unknown} payload
   * @param {{timeout?: number}} [options]
   * @returns {Promise<any>}
   */
  publish(topic, event, payload, options = {}) {
    return this._request({ type: "publish", topic, event, payload }, options, true);
  }

  /**
   * Sends any client frame (a type the application's server handles) and waits for its answer.
   * @param {string} type
   * @param {Record<string, unknown>} [fields]
   * @param {{timeout?: number, queue?: boolean}} [options]
   */
  request(type, fields = {}, options = {}) {
    return this._request({ ...fields, type }, options, options.queue ?? false);
  }

  /** Round trip to the server; resolves with the `pong` frame. */
  ping(options = {}) {
    return this._request({ type: "ping" }, options, false);
  }

  /** The `connectionId` from the last `welcome`, or undefined. */
  get connectionId() {
    return this.welcome ? this.welcome.connectionId : undefined;
  }

  // --- connecting ---

  _open() {
    const epoch = ++this._epoch;
    this._clearReconnect();
    if (this._offline()) {
      this._waitingOnline = true; // never burn attempts while the device is offline
      return;
    }
    this._waitingOnline = false;
    this._tokenFor(epoch).then((token) => {
      if (epoch !== this._epoch || !this._wanted) return; // this attempt has since ended
      this._dial(token);
    }, (e) => {
      if (epoch !== this._epoch || !this._wanted) return;
      this._report(new RealtimeError("unauthorized", "getToken failed: " + errorText(e), { cause: e }));
      this._scheduleReconnect(this._nextBackoff());
    });
  }

  /** @param {string | undefined} token */
  _dial(token) {
    const WebSocketClass = this.options.WebSocket ?? globalThis.WebSocket;
    const protocols = token ? [SUBPROTOCOL, "bearer." + token] : [SUBPROTOCOL];
    let socket;
    try {
      socket = new WebSocketClass(this.url, protocols);
    } catch (e) {
      this._report(new RealtimeError("disconnected", "cannot open a WebSocket: " + errorText(e), { cause: e }));
      this._scheduleReconnect(this._nextBackoff());
      return;
    }
    this._socket = socket;
    let opened = false;
    socket.onopen = () => { opened = true; };
    socket.onmessage = (event) => {
      if (this._socket !== socket) return;
      this._receive(typeof event.data === "string" ? event.data : String(event.data));
    };
    socket.onerror = () => { /* the close event follows and says more */ };
    socket.onclose = (event) => {
      if (this._socket !== socket) return; // a socket we already gave up on
      this._closed(token, opened, event.code, event.reason || "");
    };
  }

  /** The socket ended by itself (not through `disconnect()`): decide by its close code. */
  _closed(token, opened, code, reason) {
    const wasWelcomed = this.state === "connected";
    this._endSocket(new RealtimeError("disconnected", `connection closed (${code}${reason ? " " + reason : ""})`));
    if (!this._wanted) return;
    if (!opened && !wasWelcomed) {
      // a browser sees only 1006 for a refused upgrade: ask the server why, over plain HTTP
      const after = this._epoch;
      this._setState("connecting");
      this._explainRefusal(token).catch((e) => new RealtimeError("disconnected",
        "the connection failed before the handshake completed", { cause: e })).then((refusal) => {
        if (after !== this._epoch || !this._wanted) return; // connect() or disconnect() since
        this._emitter.emit("close", { code, reason, refusal });
        this._report(refusal);
        if (refusal.kind === "unauthorized") this._tokenStale = true;
        const wait = Math.max(this._nextBackoff(), (refusal.retryAfter ?? 0) * 1000);
        this._scheduleReconnect(wait);
      });
      return;
    }
    this._emitter.emit("close", { code, reason });
    switch (code) {
      case 4003: // kicked by the server API: stop for good
        this._wanted = false;
        this._unhookWindow();
        for (const entry of this._queue.splice(0)) {
          entry.fail(new RealtimeError("disconnected", "disconnected by the server (4003)"));
        }
        this._report(new RealtimeError("disconnected", "disconnected by the server: " + (reason || "kicked"), { code: "kicked" }));
        this._setState("disconnected");
        return;
      case 4001: // token expired: a fresh token, at once, not a failure
        this._tokenStale = true;
        this._scheduleReconnect(0);
        return;
      case 4004: // the server lost our place in a stream: at once, with jitter, resume
        this._scheduleReconnect(Math.floor(this._random() * this.options.minReconnectDelay));
        return;
      case 1001: // graceful drain: every client must not come back at the same instant
        this._scheduleReconnect(Math.floor(this._random() * this.options.drainDelay));
        return;
      default: // 1008, 1009, 1013, 1006 and anything else: back off
        this._scheduleReconnect(this._nextBackoff());
    }
  }

  /** Turns a refused handshake into a RealtimeError, asking the server over plain HTTP. */
  async _explainRefusal(token) {
    const fetchFn = this.options.fetch ?? globalThis.fetch;
    if (typeof fetchFn !== "function") {
      return new RealtimeError("disconnected", "the connection failed before the handshake completed");
    }
    const httpUrl = this.url.replace(/^ws/i, "http");
    const page = typeof globalThis.location === "object" ? globalThis.location.origin : undefined;
    // another origin: the token goes in the query, so the request needs no CORS preflight
    const crossOrigin = page !== undefined && new URL(httpUrl).origin !== page;
    let response;
    try {
      response = await fetchFn(crossOrigin && token
        ? httpUrl + (httpUrl.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token)
        : httpUrl, {
        method: "GET", cache: "no-store", credentials: "omit",
        headers: token && !crossOrigin ? { Authorization: "Bearer " + token } : {},
      });
    } catch (e) {
      return new RealtimeError("disconnected", "the server is unreachable: " + errorText(e), { cause: e });
    }
    let body = {};
    try { body = await response.json(); } catch { /* not our JSON: a proxy answered */ }
    const status = response.status;
    const code = typeof body.error === "string" ? body.error : undefined;
    const message = typeof body.message === "string" ? body.message : `HTTP ${status}`;
    const retryHeader = response.headers && response.headers.get ? response.headers.get("Retry-After") : null;
    const retryAfter = retryHeader && /^\d+$/.test(retryHeader.trim()) ? Number(retryHeader.trim()) : undefined;
    if (status === 401) {
      return new RealtimeError("unauthorized", "handshake refused: " + message, { code: code ?? "unauthorized", status });
    }
    if (status === 400 && code === "upgrade_required") {
      // the server would take this handshake now: the failure was on the way (network, proxy)
      return new RealtimeError("disconnected", "the connection failed; the server is up and would accept it now", { status });
    }
    return new RealtimeError("refused", "handshake refused: " + message, { code, status, retryAfter });
  }

  /** Closes down the current socket's state; every waiting request fails with `error`. */
  _endSocket(error) {
    this._epoch++;
    const socket = this._socket;
    this._socket = undefined;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
    }
    clearTimeout(this._heartbeatTimer);
    clearTimeout(this._refreshTimer);
    this._heartbeatTimer = this._refreshTimer = undefined;
    this.welcome = undefined;
    for (const state of this._topics.values()) state.wire = "none";
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const entry of pending) entry.fail(error); // sent, unacknowledged: never re-sent
    if (this.state === "connected") this._setState(this._wanted ? "connecting" : "disconnected");
  }

  _scheduleReconnect(delay) {
    if (!this._wanted) return;
    this._setState("connecting");
    this._clearReconnect();
    this._emitter.emit("reconnecting", { delay, attempt: this._attempts });
    if (delay <= 0) {
      this._open();
      return;
    }
    this._reconnectTimer = setTimeout(() => {
      this._reconnectTimer = undefined;
      this._open();
    }, delay);
  }

  _nextBackoff() {
    if (this._offline()) return 0; // no attempt is spent offline: _open waits for "online"
    const delay = backoff(this._attempts, this.options.minReconnectDelay,
      this.options.maxReconnectDelay, () => this._random());
    this._attempts++;
    return delay;
  }

  _clearReconnect() {
    if (this._reconnectTimer !== undefined) clearTimeout(this._reconnectTimer);
    this._reconnectTimer = undefined;
  }

  _random() {
    return (this.options.random ?? Math.random)();
  }

  // --- tokens ---

  /** A token for connection `epoch`: the cached one while fresh, else one shared getToken call. */
  _tokenFor(epoch) {
    if (!this.options.getToken) return Promise.resolve(undefined);
    if (this._token && !this._tokenStale && this._tokenExp !== undefined
        && this._tokenExp * 1000 - Date.now() > this.options.refreshMargin) {
      return Promise.resolve(this._token);
    }
    return this._fetchToken();
  }

  /** One getToken call however many ask at once. */
  _fetchToken() {
    if (!this._tokenCall) {
      this._tokenCall = Promise.resolve()
        .then(() => this.options.getToken())
        .then((token) => {
          if (typeof token !== "string" || token === "") throw new TypeError("getToken must resolve a non-empty string");
          this._token = token;
          this._tokenExp = tokenExpiry(token);
          this._tokenStale = false;
          return token;
        })
        .finally(() => { this._tokenCall = undefined; });
    }
    return this._tokenCall;
  }

  _scheduleRefresh() {
    clearTimeout(this._refreshTimer);
    this._refreshTimer = undefined;
    if (!this.options.getToken || this._tokenExp === undefined) return;
    const left = this._tokenExp * 1000 - Date.now();
    const margin = Math.min(this.options.refreshMargin, Math.max(left / 2, 0));
    this._refreshTimer = setTimeout(() => this._refresh(), Math.max(0, left - margin));
  }

  /** Sends `refresh` with a new token before the current one expires. */
  _refresh() {
    const epoch = this._epoch;
    this._refreshTimer = undefined;
    this._tokenStale = true; // the token we hold is about to expire: ask for another
    this._fetchToken().then((token) => {
      if (epoch !== this._epoch || this.state !== "connected") return; // that connection ended
      return this._request({ type: "refresh", token }, {}, false).then(() => {
        if (epoch === this._epoch) this._scheduleRefresh();
      });
    }).catch((e) => {
      if (epoch !== this._epoch) return;
      this._report(e instanceof RealtimeError ? e
        : new RealtimeError("unauthorized", "token refresh failed: " + errorText(e), { cause: e }));
      // try again shortly while the old token still holds; the server closes with 4001 after exp
      if (this._tokenExp !== undefined && this._tokenExp * 1000 > Date.now()) {
        this._refreshTimer = setTimeout(() => this._refresh(), Math.min(5000, Math.max(1000, (this._tokenExp * 1000 - Date.now()) / 4)));
      }
    });
  }

  // --- frames ---

  _receive(text) {
    this._lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      this._report(new RealtimeError("protocol", "the server sent a frame that is not JSON", { cause: e }));
      return;
    }
    if (frame === null || typeof frame !== "object") return;
    switch (frame.type) {
      case "welcome": return this._welcomed(frame);
      case "ack": case "pong": return this._answer(frame, null);
      case "error":
        if (frame.ref !== undefined && this._pending.has(String(frame.ref))) {
          return this._answer(frame, errorFromFrame(frame));
        }
        return this._report(errorFromFrame(frame));
      case "presence": {
        const state = this._topics.get(frame.topic);
        if (state) for (const sub of state.handles) sub._emitter.emit("presence", frame);
        return;
      }
      default: return this._deliver(frame);
    }
  }

  _welcomed(frame) {
    this.welcome = frame;
    this._attempts = 0; // a reset only after welcome: an accept-then-drop loop still backs off
    this._setState("connected");
    this._emitter.emit("welcome", frame);
    this._startHeartbeat(Number(frame.heartbeatSeconds) || 0);
    this._scheduleRefresh();
    // resume: every live topic in one batch, each with the last id it saw
    for (const state of this._topics.values()) {
      if (state.handles.size > 0) this._sendSubscribe(state);
    }
    const queued = this._queue.splice(0);
    for (const entry of queued) entry.send();
  }

  _deliver(frame) {
    const topic = typeof frame.topic === "string" ? frame.topic : undefined;
    const state = topic === undefined ? undefined : this._topics.get(topic);
    if (state && typeof frame.id === "string") {
      if (state.seenSet.has(frame.id)) return; // already delivered (a replay overlapping live)
      state.seen.push(frame.id);
      state.seenSet.add(frame.id);
      if (state.seen.length > this.options.dedupeWindow) state.seenSet.delete(state.seen.shift());
      state.lastId = frame.id;
    }
    if (state && state.handles.size > 0) {
      for (const sub of state.handles) sub._emitter.emit("message", frame);
    } else {
      this._emitter.emit("message", frame);
    }
  }

  /** @param {TopicState} state @param {string} [failedSince] a since the server could not serve */
  _sendSubscribe(state, failedSince) {
    const since = state.lastId;
    /** @type {Record<string, unknown>} */
    const frame = { type: "subscribe", topic: state.topic };
    if (since !== undefined) frame.since = since;
    if (state.presence) frame.presence = true;
    state.wire = "subscribing";
    const epoch = this._epoch;
    this._request(frame, {}, false).then((ack) => {
      if (epoch !== this._epoch || this._topics.get(state.topic) !== state) return;
      state.wire = "subscribed";
      const resumed = since !== undefined || failedSince !== undefined;
      state.lastAck = { recovered: since !== undefined && ack.recovered === true, resumed, since: since ?? failedSince };
      for (const sub of state.handles) sub._emitter.emit("subscribed", state.lastAck);
    }, (e) => {
      if (epoch !== this._epoch || this._topics.get(state.topic) !== state) return;
      state.wire = "none";
      if (state.handles.size === 0) return;
      if (e.code === "history_unavailable" && since !== undefined) {
        // the topic keeps no history: subscribe without since, and say nothing was recovered
        state.lastId = undefined;
        return this._sendSubscribe(state, since);
      }
      if ((e.code === "unavailable" || e.code === "rate_limited" || e.kind === "timeout") && this.state === "connected") {
        // transient: try again on this connection after a jittered pause
        const delay = backoff(1, this.options.minReconnectDelay * 2, this.options.maxReconnectDelay, () => this._random());
        setTimeout(() => {
          if (epoch === this._epoch && this._topics.get(state.topic) === state && state.handles.size > 0
              && state.wire === "none") this._sendSubscribe(state, failedSince);
        }, delay);
      }
      let heard = false;
      for (const sub of state.handles) {
        heard = heard || sub._emitter.has("error");
        sub._emitter.emit("error", e);
      }
      if (!heard) this._report(e); // nobody listens on the topic: tell the client's listeners
    });
  }

  /** @param {Subscription} sub */
  _release(sub) {
    const state = sub._state;
    state.handles.delete(sub);
    if (state.handles.size > 0 || state.releaseTimer !== undefined) return;
    // one tick later: an unmount followed by a mount (React StrictMode) costs no traffic
    state.releaseTimer = setTimeout(() => {
      state.releaseTimer = undefined;
      if (state.handles.size > 0 || this._topics.get(state.topic) !== state) return;
      this._topics.delete(state.topic);
      if (state.wire !== "none" && this.state === "connected") {
        this._request({ type: "unsubscribe", topic: state.topic }, {}, false).catch(() => {});
      }
      state.wire = "none";
    }, 0);
  }

  // --- requests ---

  /**
   * @param {Record<string, unknown>} frame without `ref`
   * @param {{timeout?: number}} options
   * @param {boolean} queueable whether it may wait for a connection
   */
  _request(frame, options, queueable) {
    return new Promise((resolve, reject) => {
      const timeout = options.timeout ?? this.options.requestTimeout;
      const entry = new PendingRequest(this, frame, resolve, reject);
      if (this.state === "connected" && this._socket) {
        entry.startTimer(timeout);
        entry.send();
        return;
      }
      if (!queueable || !this.options.queueWhileDisconnected) {
        reject(new RealtimeError("disconnected", "not connected"));
        return;
      }
      if (!this._wanted) {
        reject(new RealtimeError("disconnected", "not connected: call connect() first"));
        return;
      }
      if (this._queue.length >= this.options.queueSize) {
        reject(new RealtimeError("queue_full", `${this.options.queueSize} requests already wait for a connection`));
        return;
      }
      this._queue.push(entry);
      entry.startTimer(timeout); // the timeout runs while it waits
    });
  }

  _answer(frame, error) {
    const entry = frame.ref === undefined ? undefined : this._pending.get(String(frame.ref));
    if (!entry) return;
    if (error) entry.fail(error); else entry.succeed(frame);
  }

  _nextRef() {
    return String(++this._refs);
  }

  _send(frame) {
    this._socket.send(JSON.stringify(frame));
  }

  // --- heartbeat ---

  _startHeartbeat(seconds) {
    clearTimeout(this._heartbeatTimer);
    if (!(seconds > 0)) return;
    const interval = seconds * 1000;
    const epoch = this._epoch;
    const beat = (expected) => {
      this._heartbeatTimer = setTimeout(() => {
        if (epoch !== this._epoch) return;
        const now = Date.now();
        if (now - expected > this.options.sleepThreshold) {
          // the device slept: the socket is likely dead and the token likely stale
          this._tokenStale = true;
          return this._dead("the device slept for " + Math.round((now - expected) / 1000) + " s");
        }
        const sentAt = now;
        this._request({ type: "ping" }, { timeout: this.options.heartbeatTimeout }, false).catch((e) => {
          if (epoch === this._epoch && e.kind === "timeout" && this._lastFrameAt <= sentAt) {
            this._dead(`no frame for ${Math.round((Date.now() - this._lastFrameAt) / 1000)} s`);
          }
        });
        beat(now + interval);
      }, interval);
    };
    beat(Date.now() + interval);
  }

  /** A silent connection: drop it and reconnect as after an abnormal close. */
  _dead(why) {
    const socket = this._socket;
    if (!socket) return;
    this._report(new RealtimeError("timeout", "connection considered dead: " + why));
    this._endSocket(new RealtimeError("disconnected", "connection considered dead: " + why));
    try { socket.close(4000, "heartbeat timeout"); } catch { /* already closed */ }
    this._emitter.emit("close", { code: 4000, reason: "heartbeat timeout" });
    this._scheduleReconnect(this._nextBackoff());
  }

  // --- online and visibility ---

  _win() {
    if ("window" in this.options) return this.options.window;
    return typeof window === "object" ? window : undefined;
  }

  _offline() {
    const win = this._win();
    return !!(win && win.navigator && win.navigator.onLine === false);
  }

  _hookWindow() {
    const win = this._win();
    if (this._windowHooks || !win || typeof win.addEventListener !== "function") return;
    const wake = () => {
      if (this._wanted && this.state !== "connected" && !this._socket) {
        this._clearReconnect();
        this._open();
      }
    };
    const visible = () => {
      if (win.document && win.document.visibilityState === "visible") wake();
    };
    win.addEventListener("online", wake);
    if (win.document && typeof win.document.addEventListener === "function") {
      win.document.addEventListener("visibilitychange", visible);
    }
    this._windowHooks = () => {
      win.removeEventListener("online", wake);
      if (win.document && typeof win.document.removeEventListener === "function") {
        win.document.removeEventListener("visibilitychange", visible);
      }
    };
  }

  _unhookWindow() {
    if (this._windowHooks) this._windowHooks();
    this._windowHooks = undefined;
    this._waitingOnline = false;
  }

  // --- events ---

  _setState(next) {
    if (next === this.state) return;
    const previous = this.state;
    this.state = next;
    this._emitter.emit("state", { previous, current: next });
  }

  _report(error) {
    this._emitter.emit("error", error);
  }

  _listenerFailed(e, event) {
    if (event === "error") {
      // an error listener that throws has nowhere else to report to
      if (typeof console !== "undefined") console.warn("realtime: an error listener threw", e);
      return;
    }
    this._report(new RealtimeError("listener", `a "${event}" listener threw: ${errorText(e)}`, { cause: e }));
  }
}

/** A request waiting for its answer (or, for a publish, for a connection first). */
class PendingRequest {
  constructor(client, frame, resolve, reject) {
    this.client = client;
    this.frame = frame;
    this.resolve = resolve;
    this.reject = reject;
    this.timer = undefined;
    this.ref = undefined;
    this.done = false;
  }

  startTimer(ms) {
    this.timer = setTimeout(() => {
      this.fail(new RealtimeError("timeout", `no answer to ${this.frame.type} within ${ms} ms`));
    }, ms);
  }

  send() {
    if (this.done) return;
    const client = this.client;
    this.ref = client._nextRef();
    client._pending.set(this.ref, this);
    try {
      client._send({ ...this.frame, ref: this.ref });
    } catch (e) {
      this.fail(new RealtimeError("disconnected", "send failed: " + errorText(e), { cause: e }));
    }
  }

  succeed(frame) {
    if (this._finish()) this.resolve(frame);
  }

  fail(error) {
    if (this._finish()) this.reject(error);
  }

  _finish() {
    if (this.done) return false;
    this.done = true;
    clearTimeout(this.timer);
    if (this.ref !== undefined && this.client._pending.get(this.ref) === this) this.client._pending.delete(this.ref);
    const queued = this.client._queue.indexOf(this);
    if (queued >= 0) this.client._queue.splice(queued, 1);
    return true;
  }
}

function errorFromFrame(frame) {
  const code = typeof frame.code === "string" ? frame.code : "error";
  const kind = code === "unauthorized" ? "unauthorized" : "server";
  return new RealtimeError(kind, typeof frame.message === "string" ? frame.message : code, { code });
}

function errorText(e) {
  return e instanceof Error ? e.message : String(e);
}
