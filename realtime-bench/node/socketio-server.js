'use strict';
// Comparison server on Socket.IO v4, as a Socket.IO user would build the same service: the JWT
// in the CONNECT packet's auth ({token}) or the upgrade's Authorization header, checked by a
// middleware (HS256 with node's crypto); a user room and a room per topic; events `message`
// (the same JSON frame as the realtime protocol's), `subscribe` answered by an `ack` event;
// POST /api/v1/messages emits to everyone, a user room or a topic room. Socket.IO encodes a
// broadcast packet once for all its recipients. The WebSocket transport only (no polling).
//
//   REALTIME_JWT_SECRET=... REALTIME_API_KEY=... node --expose-gc socketio-server.js --port=0

const http = require('node:http');
const { Server } = require('socket.io');
const common = require('./common');

const cfg = common.config(process.argv.slice(2), process.env);

let io;

function publish(msg, frame) {
  switch (msg.target.kind) {
    case 'broadcast':
      io.emit('message', frame);
      return io.engine.clientsCount;
    case 'user': {
      const room = 'user:' + msg.target.value;
      io.to(room).emit('message', frame);
      return io.sockets.adapter.rooms.get(room)?.size ?? 0;
    }
    case 'topic': {
      const room = 'topic:' + msg.target.value;
      io.to(room).emit('message', frame);
      return io.sockets.adapter.rooms.get(room)?.size ?? 0;
    }
    default:
      return 0;
  }
}

const server = http.createServer(common.httpHandler(cfg, publish, () => ({
  realtime_connections_active: io ? io.engine.clientsCount : 0,
})));

io = new Server(server, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  maxHttpBufferSize: 65536,
  serveClient: false,
  pingInterval: cfg.heartbeatSeconds * 1000,
  pingTimeout: 20000,
});

io.use((socket, next) => {
  const fromHeader = (socket.handshake.headers.authorization || '').startsWith('Bearer ')
    ? socket.handshake.headers.authorization.slice(7).trim() : null;
  const principal = common.verifyJwt(fromHeader || socket.handshake.auth?.token, cfg.secret);
  if (!principal) return next(new Error('unauthorized'));
  socket.data.principal = principal;
  return next();
});

io.on('connection', (socket) => {
  const principal = socket.data.principal;
  // joined in the same tick that queues the CONNECT answer ("40"): in the room before the client sees it
  socket.join('user:' + principal.sub);
  socket.on('subscribe', (cmd) => {
    const ref = cmd && typeof cmd.ref === 'string' ? cmd.ref : undefined;
    if (!cmd || typeof cmd.topic !== 'string'
        || !common.topicAllowed(principal.topics, principal.sub, cmd.topic)) {
      socket.emit('error_frame', { type: 'error', ref, code: 'forbidden', message: 'topic not allowed' });
      return;
    }
    socket.join('topic:' + cmd.topic);
    socket.emit('ack', { type: 'ack', ref });
  });
  socket.on('unsubscribe', (cmd) => {
    if (cmd && typeof cmd.topic === 'string') socket.leave('topic:' + cmd.topic);
    socket.emit('ack', { type: 'ack', ref: cmd?.ref });
  });
});

server.listen(cfg.port, cfg.host, () => common.started('node-socketio', server, cfg));
