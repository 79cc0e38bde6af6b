'use strict';
// Comparison server on the plain `ws` library, speaking the realtime protocol's subset the load
// tool uses: GET /ws with a bearer token (header, bearer.<jwt> subprotocol or ?token=), HS256
// verified before the upgrade; a welcome frame; subscribe/ack, ping/pong; POST /api/v1/messages
// to broadcast, user or topic. Each message is serialized and UTF-8 encoded once, and the same
// Buffer is sent to every recipient (ws still frames it per socket).
//
//   REALTIME_JWT_SECRET=... REALTIME_API_KEY=... node --expose-gc ws-server.js --port=0

const http = require('node:http');
const crypto = require('node:crypto');
const { WebSocketServer } = require('ws');
const common = require('./common');

const cfg = common.config(process.argv.slice(2), process.env);

const all = new Set();
const byUser = new Map(); // sub -> Set<ws>
const byTopic = new Map(); // topic -> Set<ws>

function addTo(index, key, ws) {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(ws);
}

function removeFrom(index, key, ws) {
  const set = index.get(key);
  if (set && set.delete(ws) && set.size === 0) index.delete(key);
}

function sendEach(sockets, data) {
  if (!sockets) return 0;
  let n = 0;
  for (const ws of sockets) {
    if (ws.readyState === 1) {
      ws.send(data, { binary: false });
      n++;
    }
  }
  return n;
}

function publish(msg, frame) {
  const data = Buffer.from(JSON.stringify(frame)); // encode once: every recipient shares it
  switch (msg.target.kind) {
    case 'broadcast': return sendEach(all, data);
    case 'user': return sendEach(byUser.get(msg.target.value), data);
    case 'topic': return sendEach(byTopic.get(msg.target.value), data);
    default: return 0;
  }
}

const server = http.createServer(common.httpHandler(cfg, publish, () => ({
  realtime_connections_active: all.size,
})));
const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  maxPayload: 65536,
  handleProtocols: (protocols) => (protocols.has('realtime.v1') ? 'realtime.v1' : false),
});

server.on('upgrade', (req, socket, head) => {
  if (req.url.split('?')[0] !== '/ws') {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  const principal = common.verifyJwt(common.tokenOf(req), cfg.secret);
  if (!principal) {
    const body = '{"error":"unauthorized","message":"missing or invalid token"}';
    socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n'
      + 'WWW-Authenticate: Bearer realm="realtime"\r\nConnection: close\r\n'
      + `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => opened(ws, principal));
});

function opened(ws, principal) {
  const id = crypto.randomUUID();
  ws.principal = principal;
  ws.topics = new Set();
  all.add(ws);
  addTo(byUser, principal.sub, ws);
  ws.send(JSON.stringify({ // registered before welcome: what is published after it arrives
    type: 'welcome', connectionId: id, userId: principal.sub,
    roles: [...principal.roles].sort(), heartbeatSeconds: cfg.heartbeatSeconds,
  }));
  ws.on('message', (data, isBinary) => received(ws, isBinary ? null : data.toString('utf8')));
  ws.on('close', () => {
    all.delete(ws);
    removeFrom(byUser, principal.sub, ws);
    for (const t of ws.topics) removeFrom(byTopic, t, ws);
  });
  ws.on('error', () => {});
}

function received(ws, text) {
  let cmd;
  try {
    cmd = JSON.parse(text);
  } catch (e) {
    cmd = null;
  }
  if (!cmd || typeof cmd !== 'object' || typeof cmd.type !== 'string') {
    ws.send(JSON.stringify({ type: 'error', code: 'bad_request', message: 'malformed frame' }));
    return;
  }
  const ref = typeof cmd.ref === 'string' ? cmd.ref : undefined;
  switch (cmd.type) {
    case 'ping':
      ws.send(JSON.stringify({ type: 'pong', ref }));
      return;
    case 'subscribe':
      if (typeof cmd.topic !== 'string' || !common.topicAllowed(ws.principal.topics, ws.principal.sub, cmd.topic)) {
        ws.send(JSON.stringify({ type: 'error', ref, code: 'forbidden', message: 'topic not allowed' }));
        return;
      }
      ws.topics.add(cmd.topic);
      addTo(byTopic, cmd.topic, ws);
      ws.send(JSON.stringify({ type: 'ack', ref }));
      return;
    case 'unsubscribe':
      ws.topics.delete(cmd.topic);
      removeFrom(byTopic, cmd.topic, ws);
      ws.send(JSON.stringify({ type: 'ack', ref }));
      return;
    default:
      ws.send(JSON.stringify({ type: 'error', ref, code: 'unknown_type', message: cmd.type }));
  }
}

server.listen(cfg.port, cfg.host, () => common.started('node-ws', server, cfg));
