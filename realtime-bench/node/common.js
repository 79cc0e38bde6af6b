'use strict';
// What both comparison servers share: configuration, HS256 verification with node's crypto,
// the server API's request parsing, topic patterns and a /metrics page. Only the subset of
// PROTOCOL.md that the load tool's scenarios use; see docs/BENCHMARKS.md.

const crypto = require('node:crypto');

const MAX_BODY_BYTES = 1 << 20;

/** Flags (--port=0 --host=127.0.0.1) over REALTIME_* environment variables, as the JVM server. */
function config(argv, env) {
  const flags = {};
  for (const arg of argv) {
    const m = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (m) flags[m[1]] = m[2];
  }
  const pick = (flag, variable, fallback) => flags[flag] ?? env[variable] ?? fallback;
  const secret = pick('jwt-secret', 'REALTIME_JWT_SECRET', '');
  const apiKey = pick('api-key', 'REALTIME_API_KEY', '');
  if (Buffer.byteLength(secret) < 32) throw new Error('REALTIME_JWT_SECRET must be at least 32 bytes');
  if (!apiKey) throw new Error('REALTIME_API_KEY is required');
  const host = pick('host', 'REALTIME_HOST', '127.0.0.1');
  if (!host.startsWith('127.')) throw new Error('bench servers listen on loopback only: ' + host);
  return {
    host,
    port: Number(pick('port', 'REALTIME_PORT', '0')),
    secret: Buffer.from(secret, 'utf8'),
    apiKeyDigest: sha256(apiKey),
    heartbeatSeconds: Number(pick('heartbeat-seconds', 'REALTIME_HEARTBEAT_SECONDS', '30')),
  };
}

function sha256(text) {
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Verifies an HS256 JWT: header alg, signature (constant time), exp and nbf with 5 s skew, sub.
 * Returns the claims, or null for any failure (the caller answers 401).
 */
function verifyJwt(token, secret) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  let header;
  let claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch (e) {
    return null;
  }
  if (!header || header.alg !== 'HS256') return null;
  const expected = crypto.createHmac('sha256', secret).update(parts[0] + '.' + parts[1]).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const now = Date.now() / 1000;
  if (typeof claims.exp === 'number' && claims.exp + 5 < now) return null;
  if (typeof claims.nbf === 'number' && claims.nbf - 5 > now) return null;
  if (typeof claims.sub !== 'string' || claims.sub === '') return null;
  return {
    sub: claims.sub,
    roles: Array.isArray(claims.roles) ? claims.roles : [],
    topics: Array.isArray(claims.topics) ? claims.topics : [],
  };
}

/** The token of an upgrade request: bearer header, then bearer.<jwt> subprotocol, then ?token=. */
function tokenOf(req) {
  const auth = req.headers['authorization'];
  if (auth && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  const protocols = req.headers['sec-websocket-protocol'];
  if (protocols) {
    for (const p of protocols.split(',')) {
      const name = p.trim();
      if (name.startsWith('bearer.')) return name.slice(7);
    }
  }
  const q = req.url.indexOf('?');
  if (q >= 0) {
    const token = new URLSearchParams(req.url.slice(q + 1)).get('token');
    if (token) return token;
  }
  return null;
}

/** True when one of the token's topic patterns allows the topic (trailing *, {sub}). */
function topicAllowed(patterns, sub, topic) {
  for (const raw of patterns) {
    const p = String(raw).split('{sub}').join(sub);
    if (p.endsWith('*') ? topic.startsWith(p.slice(0, -1)) : p === topic) return true;
  }
  return false;
}

function apiAuthorized(req, cfg) {
  const auth = req.headers['authorization'] || '';
  if (!auth.startsWith('Bearer ')) return false;
  return crypto.timingSafeEqual(sha256(auth.slice(7).trim()), cfg.apiKeyDigest);
}

function sendJson(res, status, body, extraHeaders) {
  const text = JSON.stringify(body);
  res.writeHead(status, Object.assign({
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  }, extraHeaders || {}));
  res.end(text);
}

function readBody(req, done) {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= MAX_BODY_BYTES) chunks.push(c);
  });
  req.on('end', () => done(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
}

/**
 * Parses POST /api/v1/messages: {target:{kind,value}, type, payload}. Returns
 * {target, type, payload} or {error}.
 */
function parseMessage(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return { error: 'body is not JSON' };
  }
  if (!body || typeof body !== 'object') return { error: 'body must be an object' };
  const t = body.target;
  if (!t || typeof t.kind !== 'string') return { error: 'target.kind is required' };
  if (t.kind !== 'broadcast' && typeof t.value !== 'string') return { error: 'target.value is required' };
  if (!['broadcast', 'user', 'topic'].includes(t.kind)) return { error: 'unsupported target kind ' + t.kind };
  if (typeof body.type !== 'string' || body.type === '') return { error: 'type is required' };
  if (RESERVED.has(body.type)) return { error: 'reserved type ' + body.type };
  if (!('payload' in body)) return { error: 'payload is required' };
  return { target: t, type: body.type, payload: body.payload };
}

const RESERVED = new Set(['welcome', 'ack', 'error', 'pong', 'ping', 'presence', 'subscribe',
  'unsubscribe', 'publish', 'refresh']);

/** The delivered frame of PROTOCOL.md section 3; topic only on topic messages. */
function messageFrame(msg) {
  const frame = { type: msg.type, id: crypto.randomUUID() };
  if (msg.target.kind === 'topic') frame.topic = msg.target.value;
  frame.payload = msg.payload;
  frame.ts = new Date().toISOString();
  return frame;
}

/**
 * Prometheus text: process memory as the load tool reads it. With ?gc=1 and --expose-gc, runs a
 * full collection first, so heap figures compare with the JVM's after jcmd GC.run.
 */
function metrics(req, res, extra) {
  if (req.url.includes('gc=1') && typeof global.gc === 'function') global.gc();
  const m = process.memoryUsage();
  const lines = [
    '# TYPE nodejs_heap_size_used_bytes gauge',
    'nodejs_heap_size_used_bytes ' + m.heapUsed,
    '# TYPE nodejs_external_memory_bytes gauge',
    'nodejs_external_memory_bytes ' + m.external,
    '# TYPE process_resident_memory_bytes gauge',
    'process_resident_memory_bytes ' + m.rss,
  ];
  for (const [name, value] of Object.entries(extra)) {
    lines.push('# TYPE ' + name + ' gauge', name + ' ' + value);
  }
  const text = lines.join('\n') + '\n';
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Routes the plain HTTP paths both servers serve; publish(msg) returns the recipient count. */
function httpHandler(cfg, publish, gauges) {
  return (req, res) => {
    const path = req.url.split('?')[0];
    if (path === '/health' && req.method === 'GET') return sendJson(res, 200, { status: 'UP' });
    if (path === '/metrics' && req.method === 'GET') return metrics(req, res, gauges());
    if (path === '/api/v1/messages') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed', message: 'POST only' });
      if (!apiAuthorized(req, cfg)) {
        return sendJson(res, 401, { error: 'unauthorized', message: 'API key required' },
          { 'www-authenticate': 'Bearer realm="realtime"' });
      }
      return readBody(req, (text) => {
        if (text === null) return sendJson(res, 413, { error: 'bad_request', message: 'body too large' });
        const msg = parseMessage(text);
        if (msg.error) return sendJson(res, 400, { error: 'bad_request', message: msg.error });
        const frame = messageFrame(msg);
        const recipients = publish(msg, frame);
        sendJson(res, 202, { id: frame.id, recipients });
      });
    }
    if (path === '/ws') return sendJson(res, 400, { error: 'upgrade_required', message: 'GET /ws must be a WebSocket upgrade' });
    if (!res.headersSent && !path.startsWith('/socket.io')) sendJson(res, 404, { error: 'not_found', message: path });
  };
}

/** Logs like the JVM server, so scripts find the port the same way. */
function started(transport, server, cfg) {
  const addr = server.address();
  console.log(`server.started transport=${transport} host=${cfg.host} port=${addr.port} pid=${process.pid}`);
  const stop = () => {
    console.log('server.stopping');
    server.close();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

module.exports = {
  config, verifyJwt, tokenOf, topicAllowed, httpHandler, sendJson, started,
};
