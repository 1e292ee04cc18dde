import type { AgentStatus } from '../../domain/agents';
import type { ConversationStatus } from '../../domain/conversation';
import { t } from './i18n';
import { en } from './i18n/locales/en';
import { texts } from './i18n/texts';

/*
 * The apps' texts by topic, read from the vue-i18n catalogue (web/common/i18n/locales/) in the current locale at
 * each access: `CONTEXT_TEXTS.retry` is a lookup, `CONTEXT_TEXTS.couldNotLoad(m)` one with parameters.
 * New texts go into the catalogue (and `$t` in templates); these names stay for the many callers.
 */

/** Display labels; the catalogue's `satisfies Record<...>` makes the compiler flag a status added to the contract. */
export const CONVERSATION_STATUS_LABELS = texts('common.conversationStatus', en.common.conversationStatus);
export const CONVERSATION_STATUSES = Object.keys(en.common.conversationStatus) as ConversationStatus[];

export const AGENT_STATUS_LABELS = texts('common.agentStatus', en.common.agentStatus);
export const AGENT_STATUSES = Object.keys(en.common.agentStatus) as AgentStatus[];

export const CLOSED_BY_LABELS = texts('common.closedBy', en.common.closedBy);

/** The staff apps' names: the login page's title, the header's heading and the tab's title. */
export const STAFF_APPS = texts('common.staff.apps', en.common.staff.apps);

export const STAFF_SHELL_TEXTS = texts('common.staff', en.common.staff);

/** Queue actions (agent queue panel and admin queue page). */
export const QUEUE_TEXTS = {
  notAllowed: (message: string) => t('common.queue.notAllowed', { message }),
};

/** Who a transfer notice names: the target agent (or team label), the visitor, the target team. */
interface TransferParties {
  who: string;
  visitor: string;
  team: string;
}
type Outgoing = keyof typeof en.agent.workbench.transferOutgoing;
type IncomingResult = keyof typeof en.agent.workbench.transferIncomingResult;
const outgoing = (kind: Outgoing) => (p: TransferParties) => t(`agent.workbench.transferOutgoing.${kind}`, { ...p });
const incoming = (kind: IncomingResult) => (from: string) => t(`agent.workbench.transferIncomingResult.${kind}`, { from });

/** What the workbench's stores tell the agent: notices (toasts), fallbacks and the "handed over" state. */
export const WORKBENCH_TEXTS = texts('agent.workbench', en.agent.workbench, {
  offered: (visitor: string) => t('agent.workbench.offered', { visitor }),
  offerRevoked: (visitor: string, reason: keyof typeof en.agent.workbench.offerRevoked) =>
    reason in en.agent.workbench.offerRevoked ? t(`agent.workbench.offerRevoked.${reason}`, { visitor }) : `${visitor}: ${String(reason)}`,
  couldNotOpen: (error: string) => t('agent.workbench.couldNotOpen', { error }),
  couldNotChangeStatus: (error: string) => t('agent.workbench.couldNotChangeStatus', { error }),
  couldNotAccept: (error: string) => t('agent.workbench.couldNotAccept', { error }),
  couldNotDecline: (error: string) => t('agent.workbench.couldNotDecline', { error }),
  couldNotClose: (error: string) => t('agent.workbench.couldNotClose', { error }),
  couldNotAnswerTransfer: (error: string) => t('agent.workbench.couldNotAnswerTransfer', { error }),
  blocked: (visitor: string, closed: number) =>
    (closed ? t('agent.workbench.blockedClosed', { visitor }, closed) : t('agent.workbench.blocked', { visitor })),
  transferIncoming: (from: string) => t('agent.workbench.transferIncoming', { from }),
  transferWaiting: (target: string) => t('agent.workbench.transferWaiting', { target }),
  /** The result of a transfer this agent asked for. */
  transferOutgoing: {
    accepted: outgoing('accepted'), moved: outgoing('moved'), queued: outgoing('queued'),
    rejected: outgoing('rejected'), expired: outgoing('expired'), cancelled: outgoing('cancelled'),
  },
  /** The result of a transfer offered to this agent. */
  transferIncomingResult: {
    tookOver: incoming('tookOver'), declined: incoming('declined'), expired: incoming('expired'), withdrawn: incoming('withdrawn'),
  },
});

/** The visitor in context: the workbench's side panel (web/agent/components/context/). */
export const CONTEXT_TEXTS = texts('agent.context', en.agent.context, {
  couldNotLoad: (message: string) => t('agent.context.couldNotLoad', { message }),
  removeAttribute: (key: string) => t('agent.context.removeAttribute', { key }),
  audit: (n: number) => t('agent.context.audit', { n }),
  auditLine: (who: string, field: string) => t('agent.context.auditLine', { who, field }),
});

/** The workbench's panes: the conversation list, the chat and the visitor's details, and the phone's navigation. */
export const WORKBENCH_LAYOUT_TEXTS = texts('agent.layout', en.agent.layout);

/** Files and images in the chat. */
export { FILE_TEXTS } from './fileTexts';

/** Composer and transcript: typing indicators, emoji, ticks, the "new messages" pill, drafts. */
export const COMPOSER_TEXTS = texts('common.composer', en.common.composer, {
  typing: (name: string) => t('common.composer.typing', { name }),
  newMessages: (n: number) => t('common.composer.newMessages', {}, n),
});

export const ALERT_TEXTS = texts('agent.alerts', en.agent.alerts, {
  couldNotSave: (error: string) => t('agent.alerts.couldNotSave', { error }),
  /** Desktop notification titles and bodies. */
  offerTitle: (visitor: string) => t('agent.alerts.offerTitle', { visitor }),
  messageTitle: (visitor: string) => t('agent.alerts.messageTitle', { visitor }),
  transferTitle: (from: string) => t('agent.alerts.transferTitle', { from }),
  mentionTitle: (from: string) => t('agent.alerts.mentionTitle', { from }),
  mentionToast: (from: string, excerpt: string) => t('agent.alerts.mentionToast', { from, excerpt }),
  /** The tab title with the number of offers, transfer requests and unread messages waiting. */
  tabTitle: (count: number, base: string) => (count > 0 ? t('agent.alerts.tabTitle', { count, base }) : base),
});

export const OFFER_CARD_TEXTS = texts('agent.offers', en.agent.offers, {
  team: (team: string) => t('agent.offers.team', { team }),
  secondsLeft: (s: number) => t('agent.offers.secondsLeft', {}, s),
  acceptLabel: (visitor: string) => t('agent.offers.acceptLabel', { visitor }),
  declineLabel: (visitor: string) => t('agent.offers.declineLabel', { visitor }),
});

export const SHORTCUT_TEXTS = texts('agent.shortcuts', en.agent.shortcuts);

/** Private notes, mentions, whispers and transfer notes. */
export const NOTES_TEXTS = texts('common.notes', en.common.notes, {
  mentioned: (author: string, visitor: string) => t('common.notes.mentioned', { author, visitor }),
  couldNotAdd: (error: string) => t('common.notes.couldNotAdd', { error }),
  requestWaiting: (since: string) => t('common.notes.requestWaiting', { since }),
  requestStarted: (ago: string) => t('common.notes.requestStarted', { ago }),
});

/** Tags, call reasons, remarks, handled number, the close dialog and the admin page. */
export const CLASSIFICATION_TEXTS = texts('common.classification', en.common.classification, {
  removeTag: (name: string) => t('common.classification.removeTag', { name }),
  couldNotSave: (error: string) => t('common.classification.couldNotSave', { error }),
  closeBody: (visitor: string) => t('common.classification.closeBody', { visitor }),
});

/** The canned-response variables as written in a response (the catalogue names them, never translates them). */
const VARIABLE_TOKENS = {
  visitorName: '${visitorName}', dear: '##dear##', agentName: '${agentName}', conversationId: '${conversationId}', channel: '${channel}',
};

/** Canned responses: the composer's `/` picker, the admin page and the agent's own list. */
export const CANNED_TEXTS = texts('common.canned', en.common.canned, {
  pickerEmpty: (query: string) => (query ? t('common.canned.pickerNoMatch', { query }) : t('common.canned.pickerEmpty')),
  pickerError: (error: string) => t('common.canned.pickerError', { error }),
  confirmRemove: (shortcut: string) => t('common.canned.confirmRemove', { shortcut }),
  imported: (created: number, updated: number) => t('common.canned.imported', { created, updated }),
  importFailed: (count: number) => t('common.canned.importFailed', {}, count),
  problemLine: (line: number) => (line > 0 ? t('common.canned.problemLine', { line }) : t('common.canned.problemFile')),
  shown: (shown: number, total: number) => (shown < total ? t('common.canned.shownSome', { shown, total }) : t('common.canned.shownAll', {}, total)),
  loadFailed: (error: string) => t('common.canned.loadFailed', { error }),
  formEdit: (shortcut: string) => t('common.canned.formEdit', { shortcut }),
  unknownVariables: (names: string[]) => t('common.canned.unknownVariables', { names: names.join(', ') }),
  get variablesHelp() { return t('common.canned.variablesHelp', VARIABLE_TOKENS); },
  get defaultAddressHelp() { return t('common.canned.defaultAddressHelp', VARIABLE_TOKENS); },
});

/** "My conversations" (history and search), the transcript viewer and a visitor's earlier conversations. */
export const HISTORY_TEXTS = texts('agent.history', en.agent.history, {
  stars: (n: number) => t('agent.history.stars', { n }),
  partial: (q: string) => t('agent.history.partial', { q }),
  matchBy: (sender: string) => t(`agent.history.matchBy.${sender === 'agent' || sender === 'visitor' ? sender : 'bot'}`),
  get readOnly() { return t('common.history.readOnly'); },
  get loading() { return t('common.history.loading'); },
  get unrated() { return t('common.history.notRated'); },
  transcriptOf: (visitor: string) => t('common.history.transcriptOf', { visitor }),
  agent: (name: string | null) => t('common.history.agent', { name: name ?? '—' }),
  ratingShown: (n: number | null) => (n === null ? t('common.history.notRated') : t('common.history.rated', { n })),
  couldNotLoad: (error: string) => t('common.history.couldNotLoad', { error }),
  openTranscript: (date: string) => t('agent.history.openTranscript', { date }),
});
