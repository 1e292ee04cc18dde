/**
 * The English catalogue, and the shape every other locale must have (`Catalogue`). One namespace per app
 * (`visitor`, `agent`, `admin`, `widget`) plus `common` for the shared components.
 */
export const en = {
  common: {
    language: 'Language',
    languages: { en: 'English', 'zh-CN': '简体中文' },
  },
  visitor: {
    // issue 19, when nobody can answer
    availability: {
      label: 'Support availability',
      online: 'Online',
      away: 'Away',
      offline: 'Offline',
      outOfHours: 'Closed now',
      typicallyUnderMinute: 'Typically replies in under a minute',
      typicallyMinutes: 'Typically replies in {n} minute | Typically replies in {n} minutes',
      typicallyHours: 'Typically replies in {n} hour | Typically replies in {n} hours',
      offlineHint: 'You can leave us a message.',
      estimatedWaitUnderMinute: 'Estimated wait: under a minute',
      estimatedWaitMinutes: 'Estimated wait: about {n} minute | Estimated wait: about {n} minutes',
      estimatedWaitHours: 'Estimated wait: about {n} hour | Estimated wait: about {n} hours',
    },
    leaveMessage: {
      title: 'Leave a message',
      intro: 'We will answer by e-mail or phone. Give at least one of them.',
      name: 'Your name',
      email: 'E-mail',
      phone: 'Phone',
      message: 'Your message',
      contactHint: 'An e-mail address or a phone number is required.',
      send: 'Send message',
      sending: 'Sending…',
      open: 'Leave a message instead',
      keepWaiting: 'Keep my place',
      nameRequired: 'Please enter your name.',
      contactRequired: 'Please give an e-mail address or a phone number.',
      emailInvalid: 'Please enter a valid e-mail address.',
      phoneInvalid: 'Please enter a valid phone number (digits, spaces, + ( ) - .).',
      messageRequired: 'Please write your message.',
      sent: 'Thank you, your message was sent.',
    },
  },
  agent: {
    // issue 19: the workbench's page of left messages (list texts as the console's)
    leftMessages: {
      title: 'Left messages',
      intro: 'Messages visitors left when nobody could answer. Reply by e-mail or phone, then mark them handled.',
      filter: 'Show',
      filters: { open: 'To answer', handled: 'Handled', all: 'All' },
      refresh: 'Refresh',
      loading: 'Loading…',
      empty: 'No messages here.',
      loadError: 'Could not load the messages: {error}',
      received: 'Received',
      channel: 'Channel',
      reasons: { nobodyOnline: 'Nobody online', outOfHours: 'Out of hours', waitLimit: 'Waited too long' },
      email: 'E-mail',
      phone: 'Phone',
      markHandled: 'Mark handled',
      reopen: 'Open again',
      handledBy: 'Handled by {name} on {at}',
      handledAt: 'Handled on {at}',
      conversation: 'Open the conversation',
      open: 'Left messages',
      openLabel: 'Messages visitors left when nobody could answer',
      close: 'Back to chats',
    },
  },
  admin: {
    // issue 19: the console's page of left messages
    leftMessages: {
      title: 'Left messages',
      intro: 'Messages visitors left when nobody could answer. Reply by e-mail or phone, then mark them handled.',
      filter: 'Show',
      filters: { open: 'To answer', handled: 'Handled', all: 'All' },
      refresh: 'Refresh',
      loading: 'Loading…',
      empty: 'No messages here.',
      loadError: 'Could not load the messages: {error}',
      received: 'Received',
      channel: 'Channel',
      reasons: { nobodyOnline: 'Nobody online', outOfHours: 'Out of hours', waitLimit: 'Waited too long' },
      email: 'E-mail',
      phone: 'Phone',
      markHandled: 'Mark handled',
      reopen: 'Open again',
      handledBy: 'Handled by {name} on {at}',
      handledAt: 'Handled on {at}',
      conversation: 'Open the conversation',
      nav: 'Left messages',
    },
  },
  widget: {},
};

/** A catalogue: the English one's keys, any string values. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Catalogue = Shape<typeof en>;
