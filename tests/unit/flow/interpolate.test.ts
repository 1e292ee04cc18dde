import { describe, expect, it } from 'vitest';
import { interpolate } from '../../../workflows/flow/interpolate.js';
import { Chat, flowOf, say } from './helpers.js';

describe('interpolate', () => {
  it('replaces every placeholder with its variable', () => {
    expect(interpolate('Hi ${visitorName}, you are #${QueuePosition}. Bye ${visitorName}!', { visitorName: 'Ann', QueuePosition: '3' })).toBe(
      'Hi Ann, you are #3. Bye Ann!',
    );
  });

  it('turns unknown names into empty text', () => {
    expect(interpolate('Agent: ${agentName}.', {})).toBe('Agent: .');
  });

  it('does not read inherited object properties', () => {
    expect(interpolate('[${constructor}][${toString}][${__proto__}]', {})).toBe('[][][]');
  });

  it('tolerates spaces inside the braces', () => {
    expect(interpolate('Hello ${ visitorName }', { visitorName: 'Bo' })).toBe('Hello Bo');
  });

  it('leaves text that is not a placeholder alone', () => {
    expect(interpolate('Costs $5 or ${} or ${1abc} or $visitorName', { visitorName: 'x' })).toBe('Costs $5 or ${} or ${1abc} or $visitorName');
  });

  it('inserts values literally, without interpreting them again', () => {
    expect(interpolate('${a}', { a: '${b} $& $1', b: 'no' })).toBe('${b} $& $1');
  });

  it('is applied to what the flow says', () => {
    const flow = flowOf([say('hi', 'Welcome ${visitorName} from ${channel}${missing}!')]);
    expect(new Chat(flow, { visitorName: 'Ann', channel: 'web' }).lines).toEqual(['Welcome Ann from web!']);
  });
});
