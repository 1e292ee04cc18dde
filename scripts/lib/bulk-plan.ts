/**
 * The bulk data set's shape (`npm run seed:bulk`, bench phase `reports`): options, the arrival curve
 * (hour of day × day of week), the shares of channels, outcomes, scores, and the phrases messages are
 * made of. Pure and seeded: the same options give the same plan (scripts/lib/bulk-seed.ts turns it into SQL).
 */

export interface BulkOptions {
  conversations: number;
  /** Average messages per conversation (10: 1,000,000 conversations → ~10,000,000 messages). */
  messagesPerConversation: number;
  days: number;
  seed: number;
  agents: number;
  /** IANA zone whose business hours shape the arrivals. */
  tz: string;
  /** Delete a previously generated set first (otherwise a second run is refused). */
  replace: boolean;
  /** Password of the generated staff accounts (bulk-admin@ and the agents). */
  password: string;
}

export const BULK_DEFAULTS: BulkOptions = {
  conversations: 1_000_000, messagesPerConversation: 10, days: 90, seed: 1, agents: 40, tz: 'UTC', replace: false,
  password: 'bulk-password-1234',
};

export const BULK_USAGE = `npm run seed:bulk -- [--conversations N] [--messages-per-conversation N] [--days N] [--seed N]
                        [--agents N] [--tz Area/City] [--password P] [--replace]`;

/** Parses `npm run seed:bulk` arguments; throws a message naming the bad option. */
export function parseBulkArgs(argv: string[]): BulkOptions {
  const out = { ...BULK_DEFAULTS };
  const int = (flag: string, raw: string | undefined, min: number, max: number) => {
    const n = Number(raw?.replace(/_/g, ''));
    if (raw === undefined || !Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be an integer from ${min} to ${max}, got "${raw ?? ''}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--conversations': out.conversations = int(flag, value(), 1, 50_000_000); break;
      case '--messages-per-conversation': out.messagesPerConversation = int(flag, value(), 4, 200); break;
      case '--days': out.days = int(flag, value(), 1, 3650); break;
      case '--seed': out.seed = int(flag, value(), 0, 2_000_000_000); break;
      case '--agents': out.agents = int(flag, value(), TEAMS.length * 2, 2000); break;
      case '--tz': {
        const tz = value() ?? '';
        try { new Intl.DateTimeFormat('en', { timeZone: tz }); } catch { throw new Error(`--tz must be an IANA time zone, got "${tz}"`); }
        out.tz = tz;
        break;
      }
      case '--password': {
        const p = value() ?? '';
        if (p.length < 8) throw new Error('--password must have at least 8 characters');
        out.password = p;
        break;
      }
      case '--replace': out.replace = true; break;
      default: throw new Error(`unknown option "${argv[i]}"\nusage: ${BULK_USAGE}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- seeded randomness

/** mulberry32: a small seeded PRNG (the plan's own draws; the rows' draws are hashes in SQL). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------- arrivals

/** Relative arrivals per local hour: quiet nights, a morning peak, a lunch dip, an afternoon peak, a tail into the evening. */
export const HOUR_WEIGHTS = [
  0.12, 0.08, 0.06, 0.05, 0.05, 0.08, 0.18, 0.38, 0.7, 0.95, 1.0, 0.98,
  0.8, 0.85, 0.95, 0.92, 0.85, 0.7, 0.55, 0.45, 0.38, 0.3, 0.22, 0.16,
];
/** Relative arrivals per local day of week, Sunday first: Monday busiest, weekends quiet. */
export const DOW_WEIGHTS = [0.4, 1.15, 1.05, 1.0, 0.98, 0.9, 0.5];

export interface ArrivalSlot {
  /** The hour's start (UTC instant). */
  start: Date;
  /** Conversations that start in this hour. */
  count: number;
  localHour: number;
  /** 0 Sunday … 6 Saturday, in the plan's zone. */
  localDow: number;
}

function localParts(at: Date, fmt: Intl.DateTimeFormat): { hour: number; dow: number } {
  const parts = fmt.formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const dow = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.find((p) => p.type === 'weekday')?.value ?? 'Sun');
  return { hour, dow };
}

/**
 * Hourly slots over the `days` before `end` (whole hours) with exactly `conversations` spread over them:
 * weight = hour of day × day of week × a slow growth (+15 % over the range) × a daily wobble (±12 %).
 */
export function arrivalSlots(o: Pick<BulkOptions, 'conversations' | 'days' | 'tz' | 'seed'>, end: Date): ArrivalSlot[] {
  const rand = prng(o.seed ^ 0x5eed);
  const hours = o.days * 24;
  const last = Math.floor(end.getTime() / 3_600_000) * 3_600_000;
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: o.tz, hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
  const wobble = Array.from({ length: o.days + 2 }, () => 0.88 + rand() * 0.24);
  const slots = Array.from({ length: hours }, (_, h) => {
    const start = new Date(last - (hours - h) * 3_600_000);
    const { hour, dow } = localParts(start, fmt);
    const weight = HOUR_WEIGHTS[hour] * DOW_WEIGHTS[dow] * (1 + 0.15 * (h / hours)) * wobble[Math.floor(h / 24)];
    return { start, localHour: hour, localDow: dow, weight, count: 0 };
  });
  const total = slots.reduce((s, x) => s + x.weight, 0);
  // Largest remainder: the counts add up to exactly `conversations`.
  let given = 0;
  const rema = slots.map((s, i) => {
    const exact = (o.conversations * s.weight) / total;
    s.count = Math.floor(exact);
    given += s.count;
    return { i, r: exact - s.count };
  });
  rema.sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; k < o.conversations - given; k++) slots[rema[k].i].count++;
  return slots.map(({ start, count, localHour, localDow }) => ({ start, count, localHour, localDow }));
}

/** Out of the desk's hours (left messages are mostly written then): before 8:00, from 20:00, and weekends. */
export const outOfHours = (localHour: number, localDow: number) => localHour < 8 || localHour >= 20 || localDow === 0 || localDow === 6;

// ---------------------------------------------------------------- the desk

export const TEAMS = [
  { id: 'bulk-support', name: 'Support (bulk)' },
  { id: 'bulk-sales', name: 'Sales (bulk)' },
  { id: 'bulk-billing', name: 'Billing (bulk)' },
  { id: 'bulk-tech', name: 'Technical (bulk)' },
] as const;
/** Share of conversations per team (by index of TEAMS). */
export const TEAM_SHARES = [0.45, 0.2, 0.2, 0.15];

/** Channels with their share; `web` is the seeded default flow's, the others get a flow of their own. */
export const CHANNELS = [
  { channel: 'web', share: 0.55 },
  { channel: 'app', share: 0.25 },
  { channel: 'wechat', share: 0.15 },
  { channel: 'mobile-web', share: 0.05 },
] as const;

/**
 * What became of a conversation, as shares of all: answered by the bot alone, abandoned while waiting,
 * left a message instead of waiting, or served by an agent. Out of hours, left messages are far more common.
 */
export const OUTCOME_SHARES = {
  inHours: { bot: 0.12, abandoned: 0.07, leftMessage: 0.03, served: 0.78 },
  outOfHours: { bot: 0.18, abandoned: 0.1, leftMessage: 0.3, served: 0.42 },
} as const;

/**
 * Log-normal times in seconds (median e^mu, spread sigma), capped. Queue waits are longer in the peaks
 * (`peakFactor` × the median in the busiest hours).
 */
export const TIMES = {
  queueWait: { median: 18, sigma: 1.1, cap: 1800, peakFactor: 2.2 },
  abandonAfter: { median: 75, sigma: 0.9, cap: 1800 },
  firstResponse: { median: 12, sigma: 0.8, cap: 600 },
  handle: { median: 420, sigma: 0.75, cap: 7200 },
  botOnly: { median: 60, sigma: 0.8, cap: 1800 },
} as const;

/** Share of served conversations transferred, and the transfers' outcomes (shares add up to 1). */
export const TRANSFER_SHARE = 0.06;
export const TRANSFER_OUTCOMES = [
  { outcome: 'accepted', share: 0.74 }, { outcome: 'rejected', share: 0.12 }, { outcome: 'expired', share: 0.1 }, { outcome: 'cancelled', share: 0.04 },
] as const;

/** How a served conversation closed. */
export const CLOSED_BY_SERVED = [{ by: 'agent', share: 0.58 }, { by: 'visitor', share: 0.32 }, { by: 'timer', share: 0.1 }] as const;

/** Of served and ended conversations: share rated, the 1–5 score distribution, share with a comment. */
export const RATING = {
  responseRate: 0.34,
  scores: [{ score: 5, share: 0.56 }, { score: 4, share: 0.21 }, { score: 3, share: 0.1 }, { score: 2, share: 0.05 }, { score: 1, share: 0.08 }],
  commentShare: 0.28,
  labels: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
  /** Channels whose flows also ask "was it resolved?". */
  askResolvedChannels: ['app', 'wechat'],
} as const;

export const COMMENTS = {
  good: ['Quick and friendly, thank you!', 'Solved my problem in minutes.', 'Very helpful agent, great service.', 'Clear answers, thanks a lot.',
    '服务很好，谢谢！', '回复很快，问题解决了。', '客服很耐心，非常满意。'],
  bad: ['Waited too long for an answer.', 'The agent did not understand my problem.', 'Still no refund after two weeks.', 'Had to repeat everything twice.',
    '等了太久才有人回复。', '问题还是没有解决。', '退款到现在还没到账。'],
} as const;

/** Cumulative bounds of shares, for picking by one uniform draw (SQL `case when u < b1 … when u < b2 …`). */
export function cumulative(shares: readonly number[]): number[] {
  const total = shares.reduce((a, b) => a + b, 0);
  let acc = 0;
  return shares.map((s) => (acc += s / total));
}

// ---------------------------------------------------------------- words

/** Conversation topics: the words their messages are made of, and the tag an agent gives them. */
export const TOPICS = [
  { tag: 'delivery', en: ['delivery', 'parcel', 'courier', 'tracking', 'shipping', 'warehouse', 'late', 'address'], zh: ['快递', '物流', '包裹', '地址'] },
  { tag: 'refund', en: ['refund', 'return', 'money', 'receipt', 'bank', 'transfer', 'cancelled'], zh: ['退款', '退货', '到账'] },
  { tag: 'billing', en: ['invoice', 'payment', 'card', 'charged', 'twice', 'tax', 'fee', 'subscription'], zh: ['发票', '付款', '扣费'] },
  { tag: 'account', en: ['account', 'password', 'login', 'email', 'locked', 'reset', 'verification', 'code'], zh: ['密码', '登录', '账号'] },
  { tag: 'product', en: ['size', 'colour', 'stock', 'price', 'discount', 'coupon', 'available', 'model'], zh: ['尺码', '颜色', '优惠券', '库存'] },
  { tag: 'technical', en: ['router', 'internet', 'slow', 'outage', 'error', 'update', 'app', 'crash'], zh: ['网络', '很慢', '报错', '更新'] },
  { tag: 'warranty', en: ['warranty', 'broken', 'screen', 'battery', 'charger', 'repair', 'technician'], zh: ['保修', '坏了', '屏幕', '维修'] },
  { tag: 'plan', en: ['plan', 'upgrade', 'premium', 'family', 'renewal', 'contract', 'downgrade'], zh: ['套餐', '升级', '续费', '会员'] },
] as const;
export const TAGS = [...TOPICS.map((t) => t.tag), 'complaint', 'vip', 'follow-up', 'bug'] as const;

const EN_OPENERS = ['Hello, I have a question about my', 'Hi, my', 'Good morning, the', 'Can you help me with the', 'I need help with my', 'Why is my',
  'Please check my', 'There is a problem with the', 'I would like to know about the', 'Is it possible to change the'];
const EN_MIDDLES = ['order', 'account', 'last week', 'today', 'yesterday', 'again', 'since Monday', 'for my family', 'on the website', 'in the app'];
const EN_AGENT = ['Thanks for waiting, let me check the', 'I can see the', 'I have updated the', 'Could you confirm the', 'Sorry about the',
  'I have escalated the', 'You will get an email about the', 'Please try again with the', 'I have applied a discount for the', 'Let me transfer the'];
const EN_ENDINGS = ['please', 'thank you', 'as soon as possible', 'for you now', 'right away', 'within two days', 'is that okay?', 'thanks'];
const ZH_OPENERS = ['你好，我想问一下', '请问我的', '我要', '帮我查一下', '为什么我的', '麻烦处理一下'];
const ZH_ENDINGS = ['谢谢', '可以吗', '什么时候到', '怎么办', '好的', '麻烦了'];

/** Words of every generated English phrase (what a search can find), for tests and the bench's searches. */
export const SEARCH_WORDS = { common: ['order', 'please', 'delivery', 'refund'], rare: ['kumquat', 'zeppelin', 'quokka'], chinese: ['退款', '快递'] } as const;

export interface Phrase { topic: number; k: number; sender: 'visitor' | 'agent'; text: string }

/** Per topic and sender `perTopic` phrases (one in ten Chinese), picked by messages through a hash of their row. */
export function buildPhrases(seed: number, perTopic = 200): Phrase[] {
  const rand = prng(seed ^ 0xf00d);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const out: Phrase[] = [];
  TOPICS.forEach((topic, t) => {
    for (const sender of ['visitor', 'agent'] as const) {
      for (let k = 0; k < perTopic; k++) {
        let text: string;
        if (k % 10 === 9) {
          text = `${pick(ZH_OPENERS)}${pick(topic.zh)}${rand() < 0.5 ? pick(topic.zh) : ''}，${pick(ZH_ENDINGS)}`;
        } else {
          const words = [pick(sender === 'visitor' ? EN_OPENERS : EN_AGENT), pick(topic.en), pick(EN_MIDDLES)];
          if (rand() < 0.6) words.push(pick(topic.en));
          words.push(pick(EN_ENDINGS));
          text = words.join(' ');
        }
        out.push({ topic: t, k, sender, text });
      }
    }
  });
  return out;
}

export const FIRST_NAMES = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sofia', 'Mateo', 'Hannah', 'Yuki', 'Amir', 'Zoe',
  '王芳', '李伟', '张敏', '刘洋', '陈静', '杨磊'];
export const LAST_NAMES = ['Smith', 'Garcia', 'Müller', 'Rossi', 'Dubois', 'Kowalski', 'Tanaka', 'Silva', 'Novak', 'Jensen'];
