import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** One mail a test SMTP server received: the envelope's recipients and the parsed message. */
export interface ReceivedMail { envelopeTo: string[]; mail: ParsedMail }

/**
 * A real SMTP server on a free local port (smtp-server from npm), for tests of mail Parley sends. Plain
 * SMTP without STARTTLS or AUTH, like a local relay; every message is parsed (mailparser) and kept.
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
        for (const w of waiters.splice(0)) w();
        callback();
      }, (err: Error) => callback(err));
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Resolves with the `n`th mail (1-based) once it arrived, or rejects after `ms`. */
    async nth(n: number, ms = 15_000): Promise<ReceivedMail> {
      const deadline = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`no mail #${n} within ${ms} ms (got ${received.length})`);
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 200); });
      }
      return received[n - 1];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
