import { describe, expect, it } from 'vitest';
import { fillSlots, interpolate, interpolateExcept } from '../../../domain/flow/interpolate.js';
import { Chat, flowOf, say } from './helpers.js';

describe('interpolateExcept / fillSlots (text finished in two places)', () => {
  const later = ['QueuePosition', 'WaitNo'];

  it('fills the known variables now and the open ones later, giving what interpolate gives at once', () => {
    const template = 'You are number ${QueuePosition}, ${visitorName}; ${ WaitNo } before you. ${missing}';
    const vars = { visitorName: 'Bo' };
    const parts = interpolateExcept(template, vars, later);
    expect(parts).toEqual(['You are number ', { slot: 'QueuePosition' }, ', Bo; ', { slot: 'WaitNo' }, ' before you. ']);
    expect(fillSlots(parts, { QueuePosition: '2', WaitNo: '1' })).toBe(interpolate(template, { ...vars, QueuePosition: '2', WaitNo: '1' }));
  });

  it('never reads a value filled in now as a placeholder of the second pass', () => {
    const parts = interpolateExcept('${visitorName} is #${QueuePosition}', { visitorName: '${QueuePosition}' }, later);
    expect(fillSlots(parts, { QueuePosition: '7' })).toBe('${QueuePosition} is #7');
  });

  it('turns open slots without a value into empty text', () => {
    expect(fillSlots(interpolateExcept('#${WaitNo}.', {}, later), {})).toBe('#.');
  });
});

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

describe('Tencent Cloud Desk variable names', () => {
  it('reads ${StaffNickName} as the agent’s name, so a copied template says it', () => {
    expect(interpolate('You are now chatting with ${StaffNickName}.', { agentName: 'Alice' })).toBe('You are now chatting with Alice.');
    expect(interpolate('${StaffNickName}', {})).toBe('');
    expect(interpolate('${StaffNickName}', { StaffNickName: 'own', agentName: 'Alice' })).toBe('own'); // a variable of that name wins
  });
});
