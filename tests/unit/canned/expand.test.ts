import { describe, expect, it } from 'vitest';
import {
  CANNED_PLACEHOLDERS, CANNED_VARIABLES, cannedValuesFor, expandCanned, generatedVisitorName, placeholdersToVariables, shortcutQueryAt, unknownVariables,
} from '../../../domain/canned/expand.js';

const values = { visitorName: 'Mei Ling', agentName: 'Alice', conversationId: 'c-1', channel: 'web' };

describe('canned response expansion', () => {
  it('fills every variable, with or without spaces in the braces', () => {
    expect(expandCanned('Hi ${visitorName}, I am ${ agentName } (${conversationId} on ${channel}).', values))
      .toBe('Hi Mei Ling, I am Alice (c-1 on web).');
  });

  it('maps the Easemob-style ##dear## onto the visitor\'s name, case-insensitively', () => {
    expect(expandCanned('##dear##, hello! ##DEAR##', values)).toBe('Mei Ling, hello! Mei Ling');
    expect(CANNED_PLACEHOLDERS).toEqual({ dear: 'visitorName' });
    for (const variable of Object.values(CANNED_PLACEHOLDERS)) expect(CANNED_VARIABLES).toContain(variable);
    expect(placeholdersToVariables('##dear##, hi ##other## ${agentName}')).toBe('${visitorName}, hi ##other## ${agentName}');
  });

  it('leaves unknown variables and placeholders, and known ones without a value, as written', () => {
    expect(expandCanned('${coupon} ##vip## ${visitorName} $visitorName {agentName}', { agentName: 'Alice' }))
      .toBe('${coupon} ##vip## ${visitorName} $visitorName {agentName}');
    expect(unknownVariables('${coupon} ##vip## ${visitorName} ##dear## ${coupon}')).toEqual(['${coupon}', '##vip##']);
  });

  it('never reads a filled-in value as a placeholder, and produces the text as is (no HTML escaping or markup)', () => {
    const hostile = { ...values, visitorName: '${agentName} ##dear## <b>&amp;</b>' };
    expect(expandCanned('Hello ${visitorName} / ##dear##', hostile)).toBe('Hello ${agentName} ##dear## <b>&amp;</b> / ${agentName} ##dear## <b>&amp;</b>');
  });

  it('uses the default form of address for a visitor with the name Parley generated', () => {
    const id = '8d4a0000-0000-4000-8000-000000000000';
    const conversation = { id: 'c-1', channel: 'web', visitorId: id, visitorName: generatedVisitorName(id) };
    expect(generatedVisitorName(id)).toBe('Visitor 8D4A');
    expect(cannedValuesFor({ conversation, agentName: 'Alice', defaultAddress: 'dear customer' }).visitorName).toBe('dear customer');
    expect(cannedValuesFor({ conversation: { ...conversation, visitorName: 'Visitor 8D4B' }, agentName: 'Alice', defaultAddress: 'x' }).visitorName).toBe('Visitor 8D4B');
    expect(cannedValuesFor({ conversation: { ...conversation, visitorName: '王芳' }, agentName: 'Alice', defaultAddress: 'x' }))
      .toEqual({ visitorName: '王芳', agentName: 'Alice', conversationId: 'c-1', channel: 'web' });
  });
});

describe('the shortcut being typed in the composer', () => {
  it('is a / at the start of the text or of a word, up to the caret', () => {
    expect(shortcutQueryAt('/gr', 3)).toEqual({ start: 0, query: 'gr' });
    expect(shortcutQueryAt('Thanks! /', 9)).toEqual({ start: 8, query: '' });
    expect(shortcutQueryAt('line one\n/gr', 12)).toEqual({ start: 9, query: 'gr' });
    expect(shortcutQueryAt('/greeting and more', 3)).toEqual({ start: 0, query: 'gr' });
  });

  it('is none inside a word, a URL or after a space', () => {
    expect(shortcutQueryAt('and/or', 6)).toBeNull();
    expect(shortcutQueryAt('see https://x.org/gr', 20)).toBeNull();
    expect(shortcutQueryAt('/gr ', 4)).toBeNull();
    expect(shortcutQueryAt('/has space', 10)).toBeNull();
    expect(shortcutQueryAt('', 0)).toBeNull();
  });
});
