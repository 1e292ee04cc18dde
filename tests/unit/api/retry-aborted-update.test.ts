import { describe, expect, it } from 'vitest';
import { retryAbortedUpdate } from '../../../activities/desk-client.js';

/** The shape of the client's error when the server gave up an update because its workflow task failed. */
function abortedUpdate(): Error {
  return Object.assign(new Error('Workflow Update failed'), {
    cause: new Error('9 FAILED_PRECONDITION: Unable to perform workflow execution update due to unexpected workflow task failure.'),
  });
}

describe('retryAbortedUpdate', () => {
  it('asks again when the server gave the update up, and returns the answer', async () => {
    let calls = 0;
    const result = await retryAbortedUpdate(async () => {
      calls++;
      if (calls < 3) throw abortedUpdate();
      return 'online';
    });
    expect({ result, calls }).toEqual({ result: 'online', calls: 3 });
  });

  it('passes any other failure through at once', async () => {
    let calls = 0;
    await expect(retryAbortedUpdate(async () => { calls++; throw new Error('agent is not a member of this desk'); })).rejects.toThrow('not a member');
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt with the server’s error', async () => {
    let calls = 0;
    await expect(retryAbortedUpdate(async () => { calls++; throw abortedUpdate(); }, 2)).rejects.toThrow('Workflow Update failed');
    expect(calls).toBe(2);
  });
});
