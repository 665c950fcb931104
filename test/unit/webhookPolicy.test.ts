import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addressRefusal, hostAllowed, webhookUrlProblems } from '../../functions/engine/webhooks/urlPolicy';
import { deliverySettings, retryDelayMs } from '../../functions/webhooks/runDeliveries';
import { guardedLookup, sendWebhook } from '../../functions/webhooks/send';
import { signatureHeader, verifySignature } from '../../functions/webhooks/signature';
import { sqsDeliveryQueue } from '../../functions/webhooks/queue';

describe('which addresses a webhook may reach', () => {
  it.each([
    { address: '127.0.0.1', range: 'loopback' },
    { address: '127.255.0.9', range: 'loopback' },
    { address: '::1', range: 'loopback' },
    { address: '::ffff:127.0.0.1', range: 'loopback' },
    { address: '10.0.0.1', range: 'private' },
    { address: '172.16.5.4', range: 'private' },
    { address: '192.168.1.1', range: 'private' },
    { address: '169.254.169.254', range: 'linkLocal' },
    { address: 'fe80::1', range: 'linkLocal' },
    { address: 'fd00:ec2::254', range: 'uniqueLocal' },
    { address: '100.64.0.1', range: 'carrierGradeNat' },
    { address: '0.0.0.0', range: 'unspecified' },
    { address: '224.0.0.1', range: 'multicast' },
    { address: '64:ff9b::7f00:1', range: 'rfc6052' },
    { address: '2002:7f00:1::1', range: '6to4' },
    { address: '93.184.215.14', range: null },
    { address: '2606:4700::1111', range: null },
  ])('$address → $range', ({ address, range }) => {
    expect(addressRefusal(address)).toBe(range);
  });

  it('matches allowHosts by host, or by host and port', () => {
    expect(hostAllowed(new URL('http://127.0.0.1:8080/x'), ['127.0.0.1'])).toBe(true);
    expect(hostAllowed(new URL('http://127.0.0.1:8080/x'), ['127.0.0.1:8080'])).toBe(true);
    expect(hostAllowed(new URL('http://127.0.0.1:8081/x'), ['127.0.0.1:8080'])).toBe(false);
    expect(hostAllowed(new URL('http://LocalHost/x'), ['localhost:80'])).toBe(true);
    expect(hostAllowed(new URL('http://[::1]:9000/x'), ['[::1]:9000'])).toBe(true);
    expect(hostAllowed(new URL('http://[::1]:9000/x'), ['::1'])).toBe(true);
    expect(hostAllowed(new URL('http://evil.127.0.0.1.example/x'), ['127.0.0.1'])).toBe(false);
    expect(hostAllowed(new URL('http://127.0.0.1/x'), undefined)).toBe(false);
  });

  it('reads numeric host spellings as the address they are (the URL parser normalises them)', () => {
    for (const url of ['https://2130706433/', 'https://0x7f.1/', 'https://127.1/']) {
      expect(webhookUrlProblems(url, [], '/u').map((p) => p.code)).toEqual(['privateAddress']);
    }
    expect(webhookUrlProblems('https://hooks.example.com/x', [], '/u')).toEqual([]);
    expect(webhookUrlProblems('http://127.0.0.1:3000/x', ['127.0.0.1:3000'], '/u')).toEqual([]);
  });
});

describe('the guarded lookup', () => {
  it('refuses localhost through the system resolver', async () => {
    const lookup = guardedLookup();
    const error = await new Promise<Error | null>((resolve) => lookup('localhost', { all: true }, (e) => resolve(e)));
    expect(error?.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
  });

  it('sends nothing to a literal private address that is not allowed, before any connection', async () => {
    const result = await sendWebhook({ url: 'https://10.9.9.9/x', body: '{}', headers: {}, allowHosts: [], timeoutMs: 100 });
    expect(result).toMatchObject({ ok: false, refused: true });
  });

  it('does not follow redirects: a 3xx is a failure', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/' });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const result = await sendWebhook({ url: `http://127.0.0.1:${port}/`, body: '{}', headers: {}, allowHosts: [`127.0.0.1:${port}`], timeoutMs: 2000 });
    await new Promise((resolve) => server.close(resolve));
    expect(result).toEqual({ ok: false, status: 302, error: 'HTTP 302' });
  });
});

describe('signatures and backoff', () => {
  it('verifies what it signs, with any of the secrets in the header', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const t = Math.floor(now.getTime() / 1000);
    const header = signatureHeader(['new', 'old'], t, '{"a":1}');
    expect(verifySignature(header, '{"a":1}', 'new', now)).toBe(true);
    expect(verifySignature(header, '{"a":1}', 'old', now)).toBe(true);
    expect(verifySignature(header, '{"a":1}', 'other', now)).toBe(false);
    expect(verifySignature(header, '{"a":2}', 'new', now)).toBe(false);
    expect(verifySignature(header.replace(`t=${t}`, `t=${t + 1}`), '{"a":1}', 'new', now)).toBe(false);
    expect(verifySignature(header, '{"a":1}', 'new', new Date(now.getTime() + 301_000))).toBe(false);
  });

  it('doubles the wait after each failure, up to the cap, with at most 10 % spread', () => {
    const settings = { baseDelayMs: 1000, maxDelayMs: 5000 };
    const waits = [1, 2, 3, 4, 5].map((n) => retryDelayMs('abc', n, settings));
    [1000, 2000, 4000, 5000, 5000].forEach((plain, i) => {
      expect(waits[i]).toBeGreaterThanOrEqual(plain);
      expect(waits[i]).toBeLessThanOrEqual(plain * 1.1);
    });
    expect(deliverySettings({}, { TESSERA_WEBHOOK_BASE_DELAY_MS: '50', TESSERA_WEBHOOK_MAX_ATTEMPTS: '3' })).toMatchObject({ baseDelayMs: 50, maxAttempts: 3, timeoutMs: 10_000 });
  });
});

describe('the SQS announcer', () => {
  it('sends SendMessageBatch (at most 10 a call, with the delay) through the real SQS client', async () => {
    const calls: Array<{ target: string; body: { QueueUrl: string; Entries: Array<{ Id: string; MessageBody: string; DelaySeconds?: number }> } }> = [];
    // A stand-in for SQS on 127.0.0.1 speaking its JSON protocol, with the MD5s the client checks.
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        calls.push({ target: String(req.headers['x-amz-target']), body });
        const md5 = (s: string) => createHash('md5').update(s).digest('hex');
        res.setHeader('content-type', 'application/x-amz-json-1.0');
        res.end(JSON.stringify({ Successful: body.Entries.map((e: { Id: string; MessageBody: string }) => ({ Id: e.Id, MessageId: `msg-${e.Id}`, MD5OfMessageBody: md5(e.MessageBody) })), Failed: [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    try {
      const queueUrl = `http://127.0.0.1:${port}/000000000000/webhooks`;
      const queue = sqsDeliveryQueue(queueUrl, 'us-east-1');
      const messages = Array.from({ length: 12 }, (_, i) => ({ tenant: 'acme', id: i.toString(16).padStart(32, '0') }));
      await queue.send(messages, 2000);
      expect(calls.map((c) => c.target)).toEqual(['AmazonSQS.SendMessageBatch', 'AmazonSQS.SendMessageBatch']);
      expect(calls.map((c) => c.body.Entries.length)).toEqual([10, 2]);
      expect(calls[0]!.body.QueueUrl).toBe(queueUrl);
      expect(calls[0]!.body.Entries[0]).toEqual({ Id: '0', MessageBody: JSON.stringify(messages[0]), DelaySeconds: 900 });
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
