import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../helpers/stack.js';
import { ALWAYS_OPEN, adminToken, datesAroundToday, end, flowOf, publishFlow, say, visitorOn, type NodeInput, type SettingsInput } from './helpers.js';

/** Condition nodes: variable tests and working hours pick the branch the visitor experiences. */
describe('condition node', () => {
  let stack: Stack;
  let token: string;

  const nodes: NodeInput[] = [
    { id: 'age', type: 'form', config: { prompt: 'How old are you?', formType: 'text', variable: 'age' }, edges: [{ on: 'next', to: 'adult' }] },
    {
      id: 'adult', type: 'condition',
      config: { all: [{ op: 'gte', variable: 'age', value: 18 }, { op: 'lt', variable: 'age', value: 130 }] },
      edges: [{ on: 'true', to: 'hours' }, { on: 'false', to: 'minor' }],
    },
    { id: 'hours', type: 'condition', config: { all: [{ op: 'workingHours' }] }, edges: [{ on: 'true', to: 'open' }, { on: 'false', to: 'closed' }] },
    end('minor', 'Sorry ${visitorName}, this service is for adults.'),
    end('open', 'We are open: an agent will help you.'),
    end('closed', 'We are closed right now: please come back later.'),
  ];
  const channelWith = async (settings: SettingsInput) => (await publishFlow(stack, token, flowOf(nodes, settings))).channel;

  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  async function answer(channel: string, age: string): Promise<string> {
    const visitor = await visitorOn(stack, channel, 'Ada');
    await visitor.waitForBody('form');
    await say(visitor, age);
    const { text } = await visitor.waitForBody('end');
    visitor.close();
    return text;
  }

  it('branches on variables: all tests must hold, non-numbers fail numeric tests', async () => {
    const channel = await channelWith({ workingHours: null }); // no timetable: always open
    expect(await answer(channel, '17')).toBe('Sorry Ada, this service is for adults.');
    expect(await answer(channel, '200')).toBe('Sorry Ada, this service is for adults.');
    expect(await answer(channel, 'forty')).toBe('Sorry Ada, this service is for adults.');
    expect(await answer(channel, '42')).toBe('We are open: an agent will help you.');
  });

  it('is open inside the weekly timetable', async () => {
    const channel = await channelWith({ workingHours: ALWAYS_OPEN });
    expect(await answer(channel, '42')).toBe('We are open: an agent will help you.');
  });

  it('is closed on a holiday, even inside the weekly hours', async () => {
    const channel = await channelWith({ workingHours: { ...ALWAYS_OPEN, holidays: datesAroundToday() } });
    expect(await answer(channel, '42')).toBe('We are closed right now: please come back later.');
  });

  it('is closed outside the weekly timetable', async () => {
    const channel = await channelWith({ workingHours: { timeZone: 'UTC', weekly: [], holidays: [] } });
    expect(await answer(channel, '42')).toBe('We are closed right now: please come back later.');
  });
});
