/**
 * Bare Socket.IO relay: the lower bound for Parley's chat delivery. Same transport, same events,
 * same message shape, one process like one Parley API process — and nothing else: no token check,
 * no PostgreSQL (no adapter, no transcript), no Temporal signal.
 *
 * Visitors connect with auth { role: 'visitor', conversationId } and are put in that conversation's
 * room; agents connect with auth { role: 'agent' } and join rooms with `conversation:watch`.
 * `visitor:message` / `agent:message` are acked and broadcast to the room as a ChatMessage.
 * Prints `relay listening on <port>` when ready. PORT env (default 0 = any free port).
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server, type Socket } from 'socket.io';

const httpServer = http.createServer();
const io = new Server(httpServer, { path: '/socket.io', maxHttpBufferSize: 64 * 1024 });
let seq = 0;

const room = (conversationId: string) => `conversation:${conversationId}`;

function relay(socket: Socket, conversationId: string, sender: 'visitor' | 'agent', p: { clientId?: string; text?: string }, ack?: (r: unknown) => void) {
  if (typeof p?.text !== 'string' || !conversationId) return ack?.({ ok: false, error: { code: 'bad_request', message: 'text required' } });
  const message = {
    id: randomUUID(), conversationId, seq: ++seq, sender, senderId: socket.id, senderName: null,
    body: { kind: 'text', text: p.text }, clientId: p.clientId ?? null, createdAt: new Date().toISOString(),
  };
  io.to(room(conversationId)).emit('message', message);
  ack?.({ ok: true, message });
}

io.on('connection', (socket) => {
  const auth = socket.handshake.auth as { role?: string; conversationId?: string };
  if (auth.role === 'visitor' && auth.conversationId) {
    const conversationId = auth.conversationId;
    socket.join(room(conversationId));
    socket.on('visitor:message', (p, ack) => relay(socket, conversationId, 'visitor', p, ack));
  } else {
    socket.on('conversation:watch', (p: { conversationId: string }, ack?: (r: unknown) => void) => {
      socket.join(room(p.conversationId));
      ack?.({ ok: true });
    });
    socket.on('agent:message', (p: { conversationId: string; clientId: string; text: string }, ack) => relay(socket, p?.conversationId, 'agent', p, ack));
  }
});

httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = httpServer.address();
  console.log(`relay listening on ${typeof addr === 'object' && addr ? addr.port : '?'}`);
});
process.on('SIGTERM', () => { void io.close(); process.exit(0); }); // exits at once; nothing to wait for
