import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 (an ephemeral port) that keeps what it receives, parsed. */
export interface TestSmtpServer {
  /** `smtp://user:password@127.0.0.1:<port>`: what `SMTP_URL` is set to. */
  url: string;
  user: string;
  password: string;
  /** Every message accepted so far, in order, with the envelope's recipients. */
  messages: { to: string[]; mail: ParsedMail }[];
  /** Refuse every recipient from now on (550, as a server refusing an address would). */
  rejectRecipients(reject: boolean): void;
  /** Waits until `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const user = 'studio-mailer';
  const password = 'smtp-Secret-9f3e';
  const messages: TestSmtpServer['messages'] = [];
  let reject = false;
  const options: SMTPServerOptions = {
    // Plain SMTP on loopback: no STARTTLS (its self-signed certificate would fail the check),
    // but AUTH, as a real relay asks for.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(new Error('535 authentication failed'));
    },
    onRcptTo(address, _session, callback) {
      if (!reject) {
        callback();
        return;
      }
      const error = new Error(`mailbox ${address.address} unavailable`) as Error & {
        responseCode: number;
      };
      error.responseCode = 550;
      callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch((error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)));
        });
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${user}:${password}@127.0.0.1:${port}`,
    user,
    password,
    messages,
    rejectRecipients(value) {
      reject = value;
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline)
          throw new Error(`${messages.length} of ${count} e-mails arrived`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
