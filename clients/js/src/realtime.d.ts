// Types of the realtime client (src/realtime.js), kept by hand and checked by `tsc` in the tests.

export type ClientState = "disconnected" | "connecting" | "connected";

/**
 * Why something failed:
 * - `timeout`: no answer within the request's timeout (or a silent connection);
 * - `server`: the server answered `error` (see `code`);
 * - `disconnected`: the connection ended (or never existed) before an answer;
 * - `queue_full`: too many publishes already wait for a connection;
 * - `unauthorized`: `getToken` failed, or the server refused the token (401 or `error` `unauthorized`);
 * - `refused`: the server refused the handshake for another reason (`status` 403, 429, 503; `retryAfter`);
 * - `listener`: one of your listeners threw (`cause` holds the exception);
 * - `protocol`: the server sent a frame the client cannot read.
 */
export type ErrorKind =
  | "timeout" | "server" | "disconnected" | "queue_full" | "unauthorized" | "refused" | "listener" | "protocol";

export declare class RealtimeError extends Error {
  constructor(kind: ErrorKind, message: string,
    details?: { code?: string; status?: number; retryAfter?: number; cause?: unknown });
  readonly name: "RealtimeError";
  readonly kind: ErrorKind;
  /** The server's error code (`forbidden`, `rate_limited`, `too_many_connections`, ...). */
  readonly code?: string;
  /** The HTTP status of a refused handshake. */
  readonly status?: number;
  /** Seconds the server asked to wait (`Retry-After` of a 503). */
  readonly retryAfter?: number;
}

/** The smallest WebSocket the client needs: the browser's, Node's or the `ws` package's. */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: any }) => void) | null;
  onerror: ((event: any) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
}

export interface WebSocketConstructor {
  new (url: string, protocols?: string | string[]): WebSocketLike;
}

/** What the client uses of a browser window: `online` and `visibilitychange` events. */
export interface WindowLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
  navigator?: { onLine?: boolean };
  document?: {
    visibilityState?: string;
    addEventListener(type: string, listener: () => void): void;
    removeEventListener(type: string, listener: () => void): void;
  };
}

export interface RealtimeClientOptions {
  /** Called once per need (first connect, after 4001 or a 401, before `exp`); concurrent needs share one call. */
  getToken?: () => string | Promise<string>;
  /** A WebSocket class; defaults to `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Used to explain a refused handshake over plain HTTP; defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Reconnect delays in ms (full jitter between them). Defaults: 500 and 20000. */
  minReconnectDelay?: number;
  maxReconnectDelay?: number;
  /** Default timeout of every request, in ms. Default 5000. */
  requestTimeout?: number;
  /** How long a heartbeat ping may go unanswered before the connection counts as dead, in ms. Default 5000. */
  heartbeatTimeout?: number;
  /** Publishes that may wait for a connection. Default 100. */
  queueSize?: number;
  /** Whether a publish made while disconnected waits (true, default) or fails at once. */
  queueWhileDisconnected?: boolean;
  /** Refresh the token this many ms before its `exp` (at most half its remaining life). Default 30000. */
  refreshMargin?: number;
  /** A timer late by more than this (ms) means the device slept: reconnect with a fresh token. Default 30000. */
  sleepThreshold?: number;
  /** After a close 1001 (server draining), wait a random delay up to this, in ms. Default 5000. */
  drainDelay?: number;
  /** How many recent message ids per topic are remembered to drop duplicates. Default 500. */
  dedupeWindow?: number;
  /** A random source in [0, 1), for tests. */
  random?: () => number;
  /** The window to watch for `online` and `visibilitychange`; `undefined` for none. Defaults to `window`. */
  window?: WindowLike;
}

export interface Welcome {
  type: "welcome";
  connectionId: string;
  userId: string;
  roles: string[];
  heartbeatSeconds: number;
}

/** A delivered message; `topic` only for topic messages. */
export interface Message<P = any> {
  type: string;
  id: string;
  payload: P;
  ts: string;
  topic?: string;
}

export interface Presence {
  type: "presence";
  topic: string;
  joins: string[];
  leaves: string[];
}

export interface StateChange {
  previous: ClientState;
  current: ClientState;
}

export interface CloseInfo {
  code: number;
  reason: string;
  /** Why a handshake was refused, when the socket never opened. */
  refusal?: RealtimeError;
}

export interface Subscribed {
  /** Whether this subscribe resumed from a message id (`since`). */
  resumed: boolean;
  /** With `resumed`: the server replayed everything missed. When false after a resume, reload your state. */
  recovered: boolean;
  /** The id the resume started after. */
  since?: string;
}

export interface Ack {
  type: "ack" | "pong";
  ref: string;
  [field: string]: unknown;
}

export interface RequestOptions {
  /** ms; defaults to the client's `requestTimeout`. */
  timeout?: number;
}

export interface SubscribeOptions {
  /** Receive `presence` frames for the topic. */
  presence?: boolean;
  /** Resume after this message id (e.g. one kept in storage) on the first subscribe. */
  since?: string;
}

export declare class Subscription {
  readonly topic: string;
  /** The server acknowledged this topic on the current connection. */
  readonly subscribed: boolean;
  /** `unsubscribe()` has not been called. */
  readonly active: boolean;
  /** The last message id delivered on the topic. */
  readonly lastId: string | undefined;
  on(event: "message", listener: (message: Message) => void): () => void;
  on(event: "presence", listener: (presence: Presence) => void): () => void;
  on(event: "subscribed", listener: (info: Subscribed) => void): () => void;
  on(event: "error", listener: (error: RealtimeError) => void): () => void;
  on(event: "unsubscribed", listener: (info: { topic: string }) => void): () => void;
  publish(event: string, payload: unknown, options?: RequestOptions): Promise<Ack>;
  unsubscribe(): void;
}

export declare class RealtimeClient {
  constructor(url: string, options?: RealtimeClientOptions);
  readonly url: string;
  readonly state: ClientState;
  /** The last `welcome`, while connected. */
  readonly welcome: Welcome | undefined;
  readonly connectionId: string | undefined;
  on(event: "state", listener: (change: StateChange) => void): () => void;
  on(event: "welcome", listener: (welcome: Welcome) => void): () => void;
  on(event: "error", listener: (error: RealtimeError) => void): () => void;
  on(event: "message", listener: (message: Message) => void): () => void;
  on(event: "close", listener: (info: CloseInfo) => void): () => void;
  on(event: "reconnecting", listener: (info: { delay: number; attempt: number }) => void): () => void;
  /** Connects, and reconnects until `disconnect()`; does nothing while connecting or connected. */
  connect(): void;
  /** Closes with 1000 and stays closed (sticky); the next `connect()` calls `getToken` again. */
  disconnect(): void;
  /** A new handle each call; `presence` is decided by the topic's first live handle. */
  subscribe(topic: string, options?: SubscribeOptions): Subscription;
  publish(topic: string, event: string, payload: unknown, options?: RequestOptions): Promise<Ack>;
  /** Any client frame your server handles; `queue: true` lets it wait for a connection like a publish. */
  request(type: string, fields?: Record<string, unknown>, options?: RequestOptions & { queue?: boolean }): Promise<Ack>;
  ping(options?: RequestOptions): Promise<Ack>;
}

/** Full-jitter backoff delay in ms for the given attempt (0-based). */
export declare function backoff(attempt: number, min: number, max: number, random?: () => number): number;
