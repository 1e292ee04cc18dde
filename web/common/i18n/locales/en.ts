/**
 * The English catalogue, and the shape every other locale must have (`Catalogue`). One namespace per app
 * (`visitor`, `agent`, `admin`, `widget`) plus `common` for the shared components.
 */
export const en = {
  common: {
    language: 'Language',
    languages: { en: 'English', 'zh-CN': '简体中文' },
  },
  visitor: {},
  agent: {
    // issue 19 (embed): the identity a site gave through Parley.identify, in the context panel
    identity: {
      label: 'Site identity',
      verified: 'Verified',
      unverified: 'Unverified',
      verifiedHint: 'The site proved this is its user {id}.',
      unverifiedHint: 'The site says this is its user {id}, without proof: do not rely on it for account matters.',
    },
  },
  admin: {
    // issue 19 (embed): the chat widget's settings per channel
    widget: {
      nav: 'Widget',
      title: 'Chat widget',
      channel: 'Channel',
      reload: 'Reload',
      loading: 'Loading…',
      loadError: 'Could not load the widget settings: {error}',
      noChannels: 'No channel yet: publish a service flow first.',
      launcher: 'Launcher',
      position: 'Position',
      positions: { 'bottom-right': 'Bottom right', 'bottom-left': 'Bottom left' },
      color: 'Colour',
      colorHex: 'Colour code',
      colorInvalid: 'Use a colour code like #2f6fde.',
      label: 'Label',
      icon: 'Icon',
      icons: { chat: 'Speech bubble', help: 'Question mark', headset: 'Headset', mail: 'Envelope' },
      preview: 'Preview',
      origins: 'Allowed origins',
      originsHint: 'One per line, like https://shop.example.com: scheme, host and optional port, nothing else. Pages of other sites get no chat.',
      noOrigins: 'No site may embed this channel yet: add the origins of your site below.',
      save: 'Save',
      saving: 'Saving…',
      saved: 'Saved.',
      snippet: 'Embed code',
      snippetHint: 'Add this line to every page of your site, before the closing body tag.',
      copy: 'Copy',
      copied: 'Copied.',
      copyFailed: 'Could not copy: select the text and copy it yourself.',
      identity: 'Identity verification',
      identityHint: 'Your server signs the id of each signed-in user with this secret and the page passes the hash to Parley.identify. Never put the secret in a page.',
      secret: 'Identity secret',
      show: 'Show',
      hide: 'Hide',
      rotate: 'Rotate secret',
      rotateConfirm: 'Hashes made with the current secret stop verifying at once. Rotate it?',
      rotatedAt: 'In use since {at}.',
      hmacExample: 'Server-side example (Node.js)',
    },
  },
  widget: {
    title: 'Chat',
    minimize: 'Minimise the chat',
    idle: 'Opening the chat…',
  },
};

/** A catalogue: the English one's keys, any string values. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Catalogue = Shape<typeof en>;
