import type { AgentStatus } from '../../domain/agents';
import type { ConversationStatus } from '../../domain/conversation';
import type { ClosedBy } from '../../domain/messages';
import type { AssignmentStrategy } from './types';

/** Display labels; `satisfies Record<...>` makes the compiler flag a status added to the contract. */
export const CONVERSATION_STATUS_LABELS = {
  bot: 'With bot',
  queued: 'Queued',
  offered: 'Offered',
  assigned: 'With agent',
  rating: 'Rating',
  ended: 'Ended',
} as const satisfies Record<ConversationStatus, string>;

export const CONVERSATION_STATUSES = Object.keys(CONVERSATION_STATUS_LABELS) as ConversationStatus[];

export const AGENT_STATUS_LABELS = {
  online: 'Online',
  busy: 'Busy',
  away: 'Away',
  offline: 'Offline',
} as const satisfies Record<AgentStatus, string>;

export const AGENT_STATUSES = Object.keys(AGENT_STATUS_LABELS) as AgentStatus[];

export const CLOSED_BY_LABELS = {
  visitor: 'the visitor',
  agent: 'the agent',
  admin: 'an administrator',
  timer: 'inactivity',
  flow: 'the service flow',
  system: 'the desk (the conversation could not go on)',
  'left-message': 'the visitor, who left a message', // issue 19 (the compiler needs every ClosedBy here)
} as const satisfies Record<ClosedBy, string>;

/** Shown beside an account the admin just disabled while the desk (Temporal) could not be reached. */
export const DISABLE_DESK_PENDING_NOTICE = 'Disabled and signed out. The desk is unreachable right now; it will show this agent offline as soon as it is back.';

export const STRATEGY_LABELS = {
  'longest-idle': 'Longest idle',
  'least-busy': 'Least busy',
  'round-robin': 'Round robin',
  familiarity: 'Familiarity (last agent first)',
  webhook: 'Webhook',
} as const satisfies Record<AssignmentStrategy, string>;

export const STRATEGIES = Object.keys(STRATEGY_LABELS) as AssignmentStrategy[];

/** The staff apps' names: the login page's title and the header's heading. */
export const STAFF_APPS = {
  agent: { title: 'Agent workbench', heading: 'Parley · Workbench' },
  admin: { title: 'Admin console', heading: 'Parley · Admin' },
} as const;

export const STAFF_SHELL_TEXTS = {
  signOut: 'Sign out',
};

/** Queue actions (agent queue panel and admin queue page). */
export const QUEUE_TEXTS = {
  notAllowed: (message: string) => `Not allowed: ${message}`,
};

const OFFER_REVOKED_REASONS = {
  expired: 'expired',
  taken: 'was taken by another agent',
  closed: 'was closed by the visitor',
} as const;

/** Who a transfer notice names: the target agent (or team label), the visitor, the target team. */
interface TransferParties {
  who: string;
  visitor: string;
  team: string;
}

/** What the workbench's stores tell the agent: notices (toasts), fallbacks and the "handed over" state. */
export const WORKBENCH_TEXTS = {
  handedOver: 'Handed over',
  someVisitor: 'the visitor',
  someColleague: 'a colleague',
  someTeam: 'team',
  notConnected: 'Not connected',
  conversationNotFound: 'Conversation not found',
  offered: (visitor: string) => `New chat offered: ${visitor}`,
  offerRevoked: (visitor: string, reason: keyof typeof OFFER_REVOKED_REASONS) =>
    `The chat from ${visitor} ${OFFER_REVOKED_REASONS[reason] ?? reason}.`,
  couldNotOpen: (error: string) => `Could not open conversation: ${error}`,
  couldNotChangeStatus: (error: string) => `Could not change status: ${error}`,
  couldNotAccept: (error: string) => `Could not accept: ${error}`,
  couldNotDecline: (error: string) => `Could not decline: ${error}`,
  couldNotClose: (error: string) => `Could not close: ${error}`,
  couldNotAnswerTransfer: (error: string) => `Could not answer the transfer: ${error}`,
  blocked: (visitor: string, closed: number) =>
    `${visitor} is blocked${closed ? `; ${closed} open conversation${closed === 1 ? '' : 's'} closed` : ''}.`,
  transferIncoming: (from: string) => `${from} wants to transfer a chat to you.`,
  transferWaiting: (target: string) => `Transfer requested. Waiting for ${target} to accept…`,
  /** The result of a transfer this agent asked for. */
  transferOutgoing: {
    accepted: ({ who, visitor }: TransferParties) => `${who} accepted the transfer of ${visitor}.`,
    moved: ({ who, visitor }: TransferParties) => `${visitor} was moved to ${who}.`,
    queued: ({ team, visitor }: TransferParties) => `${visitor} is waiting in the ${team} queue.`,
    rejected: ({ who, visitor }: TransferParties) => `${who} declined the transfer of ${visitor}; the conversation stays with you.`,
    expired: ({ who, visitor }: TransferParties) => `${who} did not answer in time; ${visitor} stays with you.`,
    cancelled: ({ visitor }: TransferParties) => `The transfer of ${visitor} was cancelled (the conversation ended).`,
  },
  /** The result of a transfer offered to this agent. */
  transferIncomingResult: {
    tookOver: (from: string) => `You took over a conversation from ${from}.`,
    declined: (from: string) => `You declined the transfer from ${from}.`,
    expired: (from: string) => `The transfer from ${from} expired.`,
    withdrawn: (from: string) => `The transfer from ${from} was withdrawn (the conversation ended).`,
  },
  /** Without confirmation the target only learns of a transfer from its result. */
  transferredToYou: 'A conversation was transferred to you.',
};

/** The visitor in context: the workbench's side panel (web/agent/components/context/). */
export const CONTEXT_TEXTS = {
  panelLabel: 'Visitor details',
  loading: 'Loading the visitor’s details…',
  couldNotLoad: (message: string) => `Could not load the visitor’s details: ${message}`,
  retry: 'Try again',
  noConversation: 'Select a conversation to see who you are talking to.',
  identity: 'Identity',
  displayName: 'Name',
  email: 'E-mail',
  phone: 'Phone',
  company: 'Company',
  notSet: 'Not set',
  edit: 'Edit',
  save: 'Save',
  cancel: 'Cancel',
  saving: 'Saving…',
  readOnly: 'You can change these details while you serve this conversation.',
  vip: 'VIP',
  vipHint: 'VIP visitors are queued first from their next conversation on.',
  attributes: 'Custom attributes',
  noAttributes: 'No custom attributes.',
  attributeKey: 'Attribute name',
  attributeValue: 'Value',
  addAttribute: 'Add attribute',
  removeAttribute: (key: string) => `Remove attribute ${key}`,
  flowVariables: 'Collected in this conversation',
  noFlowVariables: 'The service flow collected nothing.',
  visit: 'Visit',
  channel: 'Channel',
  startedOn: 'Started on',
  referrer: 'Came from',
  browser: 'Browser',
  os: 'System',
  language: 'Language',
  localTime: 'Local time',
  unknown: 'Unknown',
  noPageInfo: 'The visitor’s app did not say which page the chat started on.',
  journey: 'Pages viewed',
  noJourney: 'No pages reported during this chat.',
  audit: (n: number) => `Change history (${n})`,
  noAudit: 'No changes yet.',
  auditLine: (who: string, field: string) => `${who} changed ${field}`,
  someone: 'Someone',
  cleared: '(empty)',
  yes: 'Yes',
  no: 'No',
  classification: 'Classification',
  history: 'Previous conversations',
};

/** The workbench's panes: the conversation list, the chat and the visitor's details, and the phone's navigation. */
export const WORKBENCH_LAYOUT_TEXTS = {
  listLabel: 'Offers, conversations and the queue',
  showDetails: 'Visitor details',
  hideDetails: 'Hide details',
  closeDetails: 'Close visitor details',
  backToList: 'Conversations',
  backToChat: 'Back to chat',
  emptyChat: 'Select a conversation, or set yourself online to receive chats.',
  /** The top bar's secondary actions fold into this menu below desktop width. */
  moreActions: 'More',
  moreActionsLabel: 'More actions',
};

/** Files and images in the chat (kept in its own module so Node tests can import it without the web's path rules). */
export { FILE_TEXTS } from './fileTexts';
/** Composer and transcript (composer slice): typing indicators, emoji, ticks, the "new messages" pill, drafts. */
export const COMPOSER_TEXTS = {
  typing: (name: string) => `${name} is typing…`,
  someVisitor: 'The visitor',
  someAgent: 'Your agent',
  typingPreview: 'Typing preview',
  hint: 'Enter sends · Shift+Enter adds a line',
  send: 'Send',
  emojiOpen: 'Insert emoji',
  emojiPicker: 'Emoji',
  draftSaved: 'Draft saved',
  newMessages: (n: number) => `${n} new message${n === 1 ? '' : 's'} ↓`,
  jumpToNewest: 'Jump to the newest message',
  tick: {
    sending: 'Sending',
    sent: 'Sent',
    delivered: 'Delivered',
    read: 'Read',
  },
  settings: {
    title: 'Composer',
    typingPreview: 'Show agents what visitors are typing before they send it',
    typingPreviewHint: 'Off by default. Visitors have not chosen to send what they are still typing; turn this on only if your privacy notice tells them so.',
    saved: 'Saved.',
  },
};

// ---- alerts (issue 18): alerts, offer cards, keyboard shortcuts ----
export const ALERT_TEXTS = {
  kinds: {
    offer: 'A chat is offered to me',
    message: 'A visitor writes in a chat I am not looking at',
    transfer: 'A colleague wants to transfer a chat to me',
    mention: 'A colleague mentions me in a note',
  },
  settingsButton: 'Alerts',
  settingsHeading: 'Alerts',
  settingsIntro: 'Saved to your account, so they follow you to any device.',
  kindsLegend: 'Alert me when',
  channelsLegend: 'How',
  sound: 'Play a sound',
  desktop: 'Show a desktop notification',
  enableDesktop: 'Allow desktop notifications',
  desktopBlocked: 'Desktop notifications are blocked for this site in your browser settings.',
  desktopUnsupported: 'This browser cannot show desktop notifications.',
  desktopOn: 'Desktop notifications are allowed.',
  saved: 'Saved.',
  couldNotSave: (error: string) => `Could not save your alert settings: ${error}`,
  close: 'Close',
  /** Desktop notification titles and bodies. */
  offerTitle: (visitor: string) => `New chat: ${visitor}`,
  messageTitle: (visitor: string) => `${visitor} wrote`,
  transferTitle: (from: string) => `${from} wants to transfer a chat to you`,
  mentionTitle: (from: string) => `${from} mentioned you`,
  mentionToast: (from: string, excerpt: string) => `${from} mentioned you: ${excerpt}`,
  /** The tab title with the number of offers, transfer requests and unread messages waiting. */
  tabTitle: (count: number, base: string) => (count > 0 ? `(${count}) ${base}` : base),
};

export const OFFER_CARD_TEXTS = {
  heading: 'Incoming',
  empty: 'No chats waiting for you.',
  team: (team: string) => `Team: ${team}`,
  vip: 'VIP',
  menuPath: 'Chose',
  formAnswers: 'Answers',
  firstMessage: 'Wrote',
  waiting: 'Waiting',
  secondsLeft: (s: number) => `${s} seconds left to accept`,
  accept: 'Accept',
  decline: 'Decline',
  acceptLabel: (visitor: string) => `Accept the chat with ${visitor}`,
  declineLabel: (visitor: string) => `Decline the chat with ${visitor}`,
  pathSeparator: ' › ',
};

export const SHORTCUT_TEXTS = {
  helpButton: 'Keyboard shortcuts',
  heading: 'Keyboard shortcuts',
  intro: 'Shortcuts work when you are not typing in a field; Esc leaves a field.',
  close: 'Close',
  or: 'or',
  actions: {
    next: 'Next conversation',
    previous: 'Previous conversation',
    composer: 'Write a reply (type / for canned responses)',
    transfer: 'Transfer the conversation',
    close: 'Close the conversation',
    accept: 'Accept the oldest offered chat',
    help: 'Show this list',
    escape: 'Leave the field or close the dialog',
  },
};

/** Issue 18: private notes, mentions, whispers and transfer notes. */
export const NOTES_TEXTS = {
  noteLabel: 'Private note',
  whisperLabel: 'Supervisor whisper',
  notVisible: 'Only staff see this',
  open: 'Add private note',
  hide: 'Hide note',
  composerLabel: 'Private note (the visitor does not see it)',
  placeholder: 'Write a private note… type @ to mention a colleague',
  send: 'Add note',
  mentionList: 'Colleagues to mention',
  mentioned: (author: string, visitor: string) => `${author} mentioned you in the conversation with ${visitor}`,
  mentionsHeading: 'Mentions',
  openConversation: 'Open',
  dismiss: 'Dismiss',
  couldNotAdd: (error: string) => `Could not add the note: ${error}`,
  whisperHeading: 'Whisper to the agent',
  whisperPlaceholder: 'Only the agent (and other staff) will see this',
  whisperSend: 'Whisper',
  transferNote: 'Note for the colleague (optional)',
  transferNotePlaceholder: 'What they should know before taking over',
  requestNote: 'Note',
  requestVisitor: 'Visitor',
  requestLast: 'Last messages',
  requestWaiting: (since: string) => `Visitor waiting for an answer for ${since}`,
  requestNotWaiting: 'The visitor is not waiting for an answer',
  requestStarted: (ago: string) => `Chat started ${ago} ago`,
};

/** Issue 18: tags, call reasons, remarks, handled number, the close dialog and the admin page. */
export const CLASSIFICATION_TEXTS = {
  heading: 'Classification',
  tags: 'Tags',
  addTag: 'Add a tag',
  removeTag: (name: string) => `Remove tag ${name}`,
  noTags: 'No tags yet',
  callReason: 'Call reason',
  noCallReason: '— none —',
  remarks: 'Remarks',
  handledNumber: 'Handled number / reference',
  handledNumberHint: 'At most 50 characters',
  required: 'required before closing',
  save: 'Save',
  saved: 'Saved',
  couldNotSave: (error: string) => `Could not save: ${error}`,
  closeTitle: 'Close this conversation?',
  closeBody: (visitor: string) => `The chat with ${visitor} ends for both of you. Classify it before closing:`,
  confirmClose: 'Close conversation',
  cancel: 'Cancel',
  adminHeading: 'Tags and call reasons',
  adminTags: 'Tags',
  adminReasons: 'Call reasons',
  adminClosing: 'Before closing',
  tagName: 'Tag name',
  tagColour: 'Colour',
  reasonName: 'Call reason',
  add: 'Add',
  archive: 'Archive',
  restore: 'Restore',
  archived: 'archived',
  tagRequired: 'Agents must add a tag before closing a conversation',
  callReasonRequired: 'Agents must choose a call reason before closing a conversation',
  preview: 'Preview',
  empty: 'None yet.',
};

/** Canned responses: the composer's `/` picker, the admin page and the agent's own list. */
export const CANNED_TEXTS = {
  pickerLabel: 'Canned responses',
  pickerLoading: 'Looking up…',
  pickerEmpty: (query: string) => (query ? `No canned response matches /${query}.` : 'No canned responses yet.'),
  pickerHint: '↑↓ to choose, Enter to insert, Esc to close',
  pickerMore: 'More match: type more to narrow',
  pickerError: (error: string) => `Could not look up canned responses: ${error}`,
  scopeLabels: { org: 'Organisation', personal: 'Mine' },
  adminTitle: 'Canned responses',
  adminIntro: 'Every agent can use these by typing / and the shortcut in the reply box. Agents also keep their own list in the workbench.',
  myTitle: 'My canned responses',
  myIntro: 'Only you see these. Type / and the shortcut in the reply box to use one.',
  openMine: 'My replies',
  close: 'Close',
  search: 'Search',
  searchPlaceholder: 'Shortcut, title or category',
  add: 'New response',
  edit: 'Edit',
  remove: 'Delete',
  confirmRemove: (shortcut: string) => `Delete /${shortcut}?`,
  save: 'Save',
  saving: 'Saving…',
  cancel: 'Cancel',
  exportCsv: 'Export CSV',
  importCsv: 'Import CSV…',
  importing: 'Importing…',
  imported: (created: number, updated: number) => `Imported: ${created} added, ${updated} updated.`,
  importFailed: (count: number) => `Nothing was imported: the file has ${count} problem${count === 1 ? '' : 's'}.`,
  problemLine: (line: number) => (line > 0 ? `Line ${line}` : 'File'),
  csvHelp: 'CSV with a header line: shortcut,title,text,category (category may be left out). Rows with a shortcut the list has update it.',
  loading: 'Loading…',
  empty: 'No canned responses yet.',
  noMatch: 'Nothing matches the search.',
  shown: (shown: number, total: number) => (shown < total ? `Showing ${shown} of ${total}.` : `${total} response${total === 1 ? '' : 's'}.`),
  loadFailed: (error: string) => `Could not load canned responses: ${error}`,
  columns: { shortcut: 'Shortcut', title: 'Title', text: 'Text', category: 'Category', actions: 'Actions' },
  fields: {
    shortcut: 'Shortcut (without /)',
    title: 'Title',
    text: 'Text',
    category: 'Category (optional)',
  },
  formNew: 'New canned response',
  formEdit: (shortcut: string) => `Edit /${shortcut}`,
  shortcutProblem: 'Letters, digits, _ or - (1–32), without the /.',
  required: 'Required.',
  variablesHelp: 'Variables: ${visitorName} (or ##dear##), ${agentName}, ${conversationId}, ${channel}.',
  unknownVariables: (names: string[]) => `Not a variable, will be sent as written: ${names.join(', ')}`,
  preview: 'Preview',
  sample: { visitorName: 'Mei Ling', agentName: 'Alice', conversationId: '3f2a…', channel: 'web' },
  defaultAddress: 'Form of address for visitors who gave no name',
  defaultAddressHelp: 'Used for ${visitorName} and ##dear## when the visitor has no name of their own.',
  saved: 'Saved.',
};

/** "My conversations" (history and search), the transcript viewer and a visitor's earlier conversations. */
export const HISTORY_TEXTS = {
  open: 'History',
  openLabel: 'My conversations: history and search',
  title: 'My conversations',
  close: 'Back to the chats',
  filters: 'Filters',
  search: 'Search messages',
  searchPlaceholder: 'Words, part of a word, 中文…',
  searchButton: 'Search',
  clear: 'Clear',
  from: 'From',
  to: 'To',
  status: 'Status',
  anyStatus: 'Any status',
  rating: 'Rating',
  anyRating: 'Any rating',
  unrated: 'Not rated',
  stars: (n: number) => `${n} of 5`,
  tag: 'Tag',
  tagPlaceholder: 'Tag id',
  results: 'Conversations',
  loadMore: 'Show more',
  loading: 'Loading…',
  empty: 'No conversations yet. The chats you serve appear here, also after they are closed.',
  noResults: 'Nothing matches. Try fewer words, part of a word, or other filters.',
  partial: (q: string) => `No whole words matched "${q}"; showing messages containing it inside words.`,
  matchBy: (sender: string) => (sender === 'agent' ? 'Agent' : sender === 'visitor' ? 'Visitor' : 'Bot'),
  pickOne: 'Select a conversation to read its transcript.',
  back: 'Back to the results',
  transcriptOf: (visitor: string) => `Transcript: ${visitor}`,
  readOnly: 'Read-only transcript',
  agent: (name: string | null) => `Agent: ${name ?? '—'}`,
  noAgent: 'No agent',
  ratingShown: (n: number | null) => (n === null ? 'Not rated' : `Rated ${n} of 5`),
  couldNotLoad: (error: string) => `Could not load: ${error}`,
  previous: 'Previous conversations',
  previousNone: 'No earlier conversations.',
  openTranscript: (date: string) => `Open the transcript of ${date}`,
  closeDialog: 'Close',
};
