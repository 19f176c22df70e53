import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { mailFailure } from './smtp-mailer.js';

describe('mail failures', () => {
  it('keep the step and the SMTP code, never the server text (it may quote the address)', () => {
    const refused = Object.assign(
      new Error("Can't send mail - all recipients were rejected: 550 <ann@x.example>"),
      {
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'RCPT TO',
        response: '550 <ann@x.example> unavailable',
      },
    );
    const failure = mailFailure(refused);
    expect(failure).toMatchObject({ stage: 'recipient', smtpCode: 550 });
    expect(failure.message).not.toContain('ann@');
    expect(
      mailFailure(
        Object.assign(new Error('Invalid login'), {
          code: 'EAUTH',
          responseCode: 535,
          command: 'AUTH PLAIN',
        }),
      ),
    ).toMatchObject({ stage: 'auth', smtpCode: 535 });
    expect(
      mailFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' })),
    ).toMatchObject({ stage: 'connection', smtpCode: null });
    expect(
      mailFailure(
        Object.assign(new Error('552 too big'), {
          code: 'EMESSAGE',
          responseCode: 552,
          command: 'DATA',
        }),
      ),
    ).toMatchObject({ stage: 'message' });
  });
});

describe('SMTP_URL and MAIL_FROM', () => {
  it('are off by default', () => {
    expect(loadConfig({}).mail).toBeUndefined();
  });

  it('take smtp:// and smtps:// with a sender, and keep the URL out of the saved settings', () => {
    const config = loadConfig({
      SMTP_URL: 'smtps://studio:p%40ss@mail.example:465',
      MAIL_FROM: 'Фотостудия <noreply@studio.example>',
    });
    expect(config.mail).toMatchObject({
      smtpUrl: 'smtps://studio:p%40ss@mail.example:465',
      from: 'Фотостудия <noreply@studio.example>',
    });
    // A backup keeps the non-secret settings: the SMTP password is not among them.
    expect(config.settings).not.toHaveProperty('SMTP_URL');
    expect(config.settings).toHaveProperty('MAIL_FROM');
  });

  it('refuse another scheme, a missing or malformed sender, without printing the password', () => {
    const problems = (env: Record<string, string>): string => {
      try {
        loadConfig(env);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const wrong = problems({
      SMTP_URL: 'http://user:hunter22@mail.example',
      MAIL_FROM: 'a@b.example',
    });
    expect(wrong).toContain('SMTP_URL must be a smtp: or smtps: URL');
    expect(wrong).not.toContain('hunter22');
    expect(problems({ SMTP_URL: 'smtp://mail.example:587' })).toContain('MAIL_FROM is required');
    expect(problems({ SMTP_URL: 'smtp://mail.example:587', MAIL_FROM: 'nobody' })).toContain(
      'MAIL_FROM must be an address',
    );
  });
});
