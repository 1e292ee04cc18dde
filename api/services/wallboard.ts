import type pg from 'pg';
import { loadWallboardSettings, readWallboard, saveWallboardSettings } from '../../db/wallboard.js';
import { rooms } from '../../domain/contracts/events.js';
import { WALLBOARD_CHANNEL, WALLBOARD_MIN_INTERVAL_MS, type Wallboard, type WallboardSettings } from '../../domain/wallboard.js';
import type { ApiContext } from '../context.js';

/** Without any desk change the board is still refreshed this often (first answers, bot conversations, missed notifications). */
const IDLE_REFRESH_MS = 5_000;
const RELISTEN_MS = 1_000;

/**
 * Issue 21: the live wallboard. The desk projection's writes NOTIFY `parley_wallboard` (activities/desk.ts);
 * each API process LISTENs, and when admins are connected to it, reads the board at most once a second
 * (leading edge, then one trailing read for whatever changed meanwhile) and sends `wallboard` to its own
 * admins' sockets. However busy the desk, a process sends one event a second and reads the board once.
 */
export function wallboardService(ctx: ApiContext, pool: pg.Pool) {
  const { db } = ctx.database;
  let lastSentAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let pending = false;
  let stopped = false;
  let listener: pg.PoolClient | undefined;
  let relisten: NodeJS.Timeout | undefined;
  const idle = setInterval(() => changed(), IDLE_REFRESH_MS);
  idle.unref();

  const adminsHere = () => (ctx.io.of('/').adapter.rooms.get(rooms.admins)?.size ?? 0) > 0;

  async function read(): Promise<Wallboard> {
    return readWallboard(db, ctx.config.deskId, await loadWallboardSettings(db));
  }

  async function send(): Promise<void> {
    timer = undefined;
    if (stopped || !adminsHere()) return;
    running = true;
    lastSentAt = Date.now();
    try {
      ctx.io.local.to(rooms.admins).emit('wallboard', await read());
    } catch (err) {
      console.warn('[wallboard] could not read the board:', err instanceof Error ? err.message : err);
    } finally {
      running = false;
      if (pending) { pending = false; changed(); }
    }
  }

  /** Something on the desk changed: send soon, but never two boards within WALLBOARD_MIN_INTERVAL_MS. */
  function changed(): void {
    if (stopped) return;
    if (running) { pending = true; return; }
    if (timer) return;
    const wait = Math.max(0, lastSentAt + WALLBOARD_MIN_INTERVAL_MS - Date.now());
    timer = setTimeout(() => void send(), wait);
    timer.unref();
  }

  async function listen(): Promise<void> {
    if (stopped) return;
    try {
      const client = await pool.connect();
      listener = client;
      const lost = () => {
        if (listener !== client) return;
        listener = undefined;
        client.release(true);
        if (!stopped) relisten = setTimeout(() => void listen(), RELISTEN_MS);
      };
      client.on('notification', (n) => { if (n.channel === WALLBOARD_CHANNEL) changed(); });
      client.on('error', lost);
      client.on('end', lost);
      await client.query(`LISTEN ${WALLBOARD_CHANNEL}`);
      changed(); // whatever happened while not listening
    } catch (err) {
      if (listener) { const c = listener; listener = undefined; c.release(true); }
      console.warn('[wallboard] cannot LISTEN yet:', err instanceof Error ? err.message : err);
      if (!stopped) { relisten = setTimeout(() => void listen(), RELISTEN_MS); relisten.unref(); }
    }
  }

  return {
    start(): void { void listen(); },
    read,
    changed,
    settings: () => loadWallboardSettings(db),
    async saveSettings(settings: WallboardSettings): Promise<void> {
      await saveWallboardSettings(db, settings);
      changed();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(idle);
      clearTimeout(timer);
      clearTimeout(relisten);
      const client = listener;
      listener = undefined;
      if (client) {
        await client.query(`UNLISTEN ${WALLBOARD_CHANNEL}`).catch(() => undefined);
        client.release();
      }
    },
  };
}
export type WallboardService = ReturnType<typeof wallboardService>;
