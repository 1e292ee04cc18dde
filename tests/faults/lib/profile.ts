/** Sizes and timings of a run. Timer settings are the flow's (seconds); everything else is the runner's. */
export interface Profile {
  name: 'short' | 'long';
  apis: number;
  /** Conversations to start (the long run keeps starting them while the kills go on, up to this many). */
  conversations: number;
  /** Pause between two conversation starts (ms). */
  startGapMs: [number, number];
  /** Kills of each part kind (worker, api, temporal, postgres), in seeded random order. */
  killsPerPart: number;
  /** Quiet time before each kill (ms), and how long the part stays down (ms). */
  killGapMs: [number, number];
  downMs: [number, number];
  /**
   * Some Temporal kills keep the server down for `longOutageMs`: longer than the gRPC retry budget of
   * the Temporal clients (~20 s), so every caller sees its calls fail and must recover on its own.
   * The flow's timers are set longer than this outage, so no timer may legitimately fire because of it.
   */
  longTemporalOutages: number;
  longOutageMs: number;
  /** The long outages fall among the first N kills (short run: while conversations are still being started). */
  longOutageWithin: number;
  /** When set, the first kill comes right after this many visitors saw their menu (instead of after a random gap). */
  firstKillAtMenus?: number;
  agentMaxConversations: number;
  timers: {
    visitorReminderSec: number;
    visitorTimeoutSec: number;
    waitingIdleSec: number;
    assignedIdleSec: number;
    queueReminderSec: number;
    ratingValiditySec: number;
  };
  routing: { offerTimeoutSec: number; transferTimeoutSec: number; disconnectGraceSec: number };
  /** A visitor waiting for an agent writes this often (keeps the waiting-idle timer off, like a real visitor). */
  queuePingMs: number;
  /** Longest a single scenario step may wait before the conversation is reported stuck. */
  stepTimeoutMs: number;
  /**
   * The parts run under `npm start`'s supervisor (scripts/lib/supervisor.ts): a kill is followed by the
   * supervisor's restart (held back for the chosen down time), not by the runner's. `--supervised` /
   * `--unsupervised` override it.
   */
  supervised: boolean;
}

/** Every timer is longer than a long Temporal outage plus the time clients need to get through again. */
const longTimers = {
  visitorReminderSec: 10,
  visitorTimeoutSec: 45,
  waitingIdleSec: 45,
  assignedIdleSec: 600,
  queueReminderSec: 10,
  ratingValiditySec: 45,
};
const routing = { offerTimeoutSec: 6, transferTimeoutSec: 8, disconnectGraceSec: 120 };

export const SHORT: Profile = {
  name: 'short', apis: 2, conversations: 26, startGapMs: [600, 1_600], killsPerPart: 2,
  killGapMs: [3_000, 6_000], downMs: [300, 2_500], longTemporalOutages: 1, longOutageMs: 28_000, longOutageWithin: 1, firstKillAtMenus: 3,
  agentMaxConversations: 3, routing,
  // The long outage comes first, while conversations are in their menus (waiting-idle timer) or being
  // started; the timers of later phases only need to outlast the short outages.
  timers: { visitorReminderSec: 8, visitorTimeoutSec: 35, waitingIdleSec: 45, assignedIdleSec: 600, queueReminderSec: 10, ratingValiditySec: 25 },
  queuePingMs: 5_000, stepTimeoutMs: 90_000, supervised: true,
};

export const LONG: Profile = {
  name: 'long', apis: 2, conversations: 220, startGapMs: [1_200, 3_800], killsPerPart: 8,
  killGapMs: [8_000, 22_000], downMs: [300, 4_000], longTemporalOutages: 2, longOutageMs: 28_000, longOutageWithin: 1_000,
  agentMaxConversations: 3, timers: longTimers, routing,
  queuePingMs: 5_000, stepTimeoutMs: 120_000, supervised: false,
};
