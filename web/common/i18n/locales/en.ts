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
    // Issue 19, the visitor's chat (chat slice): pre-chat form, rating, transcript, queue.
    prechat: {
      title: 'Before we start',
      intro: 'Tell us a little about yourself so we can help you faster.',
      name: 'Name',
      email: 'E-mail',
      choose: 'Choose…',
      required: 'required',
      optional: 'optional',
      submit: 'Start the chat',
      submitting: 'Starting…',
      errors: {
        required: 'Please fill in this field.',
        email: "Please enter an e-mail address, like name{'@'}example.com.",
        option: 'Please choose one of the options.',
        consent: 'Please tick this box to start the chat.',
        unknown: 'This field is not part of the form.',
        summary: 'Please correct the fields marked below.',
      },
    },
    rating: {
      group: 'Your rating',
      outOf: '{score} out of {scale}',
      resolvedYes: 'Yes',
      resolvedNo: 'No',
      comment: 'Comment (optional)',
      submit: 'Submit rating',
      submitting: 'Submitting…',
      chooseScore: 'Choose a score first.',
      validUntil: 'You can rate until {time}.',
      submitted: 'Thank you, your rating has been submitted.',
      ratedAs: 'You rated this conversation {score} out of {scale}.',
      resolvedAnswer: 'Question resolved: {answer}',
      placeholderOpen: 'This conversation has ended. You can rate it above.',
      placeholderRated: 'This conversation has ended and you rated it. Thank you!',
      statusOpen: 'This conversation has ended. Please rate it.',
      statusRated: 'This conversation has ended. You rated it {score} out of {scale}.',
      ended: 'This conversation has ended.',
      newConversation: 'Start a new conversation',
      needMore: 'Need anything else?',
    },
    transcript: {
      download: 'Download transcript',
      downloading: 'Preparing…',
      email: 'E-mail transcript',
      emailLabel: 'Your e-mail address',
      send: 'Send',
      sending: 'Sending…',
      cancel: 'Cancel',
      sent: 'The transcript was sent to {email}.',
      failed: 'Could not get the transcript: {error}',
    },
    queue: {
      title: 'You are in the queue',
      position: 'Your position',
      ahead: 'No one is ahead of you. | 1 person is ahead of you. | {count} people are ahead of you.',
      next: 'You are next.',
      estimatedWait: 'Estimated wait: about {minutes} min',
      estimatedWaitShort: 'Estimated wait: less than a minute',
      waiting: 'An agent will be with you shortly.',
    },
  },
  agent: {
    // Issue 19 (chat slice): the visitor's pre-chat answers in the context panel.
    prechat: {
      title: 'Pre-chat form',
      submitted: 'Filled in {time} on channel {channel}',
      consent: 'Consent given',
      noConsent: 'No consent asked',
      name: 'Name',
      email: 'E-mail',
      empty: 'The visitor has not filled in a pre-chat form.',
    },
    rating: {
      resolved: 'Resolved: {answer}',
      yes: 'yes',
      no: 'no',
      rated: 'Rated {score} of {scale}',
    },
  },
  admin: {
    // Issue 19 (chat slice): the pre-chat form per channel.
    prechat: {
      nav: 'Pre-chat form',
      title: 'Pre-chat form',
      help: 'What visitors fill in before a conversation starts on a channel. Visitors who are already known (a name and an e-mail) skip it.',
      channel: 'Channel',
      load: 'Open',
      enabled: 'Ask visitors to fill in this form',
      intro: 'Introduction (optional)',
      builtIn: 'Built-in fields',
      show: 'Show',
      required: 'Required',
      name: 'Name',
      email: 'E-mail',
      consent: 'Consent checkbox',
      consentText: 'Consent text',
      fields: 'Custom fields',
      noFields: 'No custom fields.',
      fieldId: 'Attribute id',
      fieldLabel: 'Label',
      fieldType: 'Type',
      typeText: 'Text',
      typeSelect: 'Choice',
      options: 'Options (one per line)',
      addField: 'Add a field',
      removeField: 'Remove',
      save: 'Save',
      saving: 'Saving…',
      saved: 'Saved.',
      loadFailed: 'Could not load the form: {error}',
    },
  },
  widget: {},
};

/** A catalogue: the English one's keys, any string values. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Catalogue = Shape<typeof en>;
