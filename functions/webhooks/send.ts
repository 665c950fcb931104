import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { addressRefusal, bareHost, hostAllowed, webhookUrlProblems } from '../engine/webhooks/urlPolicy';

/** How one POST went. `refused`: the address policy stopped it before anything was sent (not worth retrying). */
export type SendResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status?: number; readonly error: string; readonly refused?: boolean };

export class AddressRefused extends Error {
  override readonly name = 'AddressRefused';
}

/** Response bytes kept for the last-error text an administrator reads. */
const MAX_RESPONSE_BYTES = 512;

/**
 * A DNS lookup that refuses names resolving to any address the policy forbids. Node's HTTP
 * client connects to the address this returns, so the answer checked is the answer used: a
 * name cannot resolve to a public address for the check and to 127.0.0.1 for the connection.
 */
export function guardedLookup(base: LookupFunction = dnsLookup as unknown as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses as unknown as string, family: 4 }]) as LookupAddress[];
      const refused = list.find((a) => addressRefusal(a.address));
      if (refused) return callback(Object.assign(new AddressRefused(`${hostname} resolves to ${refused.address}, a ${addressRefusal(refused.address)} address; webhooks reach public addresses only`), { code: 'EADDRREFUSED' }), '', 4);
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface SendInput {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly allowHosts: readonly string[] | undefined;
  readonly timeoutMs: number;
  readonly lookup?: LookupFunction;
}

/**
 * POSTs a signed body. The URL is checked again (metadata was checked at publish, but the
 * settings may have changed since); an allowed host skips the address checks, any other host
 * must resolve to public addresses only. Redirects are not followed: a 3xx is a failure.
 */
export async function sendWebhook(input: SendInput): Promise<SendResult> {
  const problems = webhookUrlProblems(input.url, input.allowHosts, '');
  if (problems.length) return { ok: false, error: problems.map((p) => p.message).join('; '), refused: true };
  const url = new URL(input.url);
  const allowed = hostAllowed(url, input.allowHosts);
  const host = bareHost(url);
  if (!allowed && isIP(host)) {
    const refusal = addressRefusal(host);
    if (refusal) return { ok: false, error: `${host} is a ${refusal} address`, refused: true };
  }
  const lookup = allowed ? input.lookup : guardedLookup(input.lookup);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const done = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(input.body)), 'user-agent': 'Tessera-Webhooks/1', ...input.headers },
        // A fresh connection per attempt: a pooled socket would skip the address check.
        agent: false,
        ...(lookup ? { lookup } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          if (status >= 200 && status < 300) return done({ ok: true, status });
          const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE_BYTES).trim();
          done({ ok: false, status, error: `HTTP ${status}${text ? `: ${text}` : ''}` });
        });
        res.on('error', (error) => done({ ok: false, status, error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no response within ${input.timeoutMs} ms`));
    }, input.timeoutMs);
    req.on('error', (error) => done({ ok: false, error: error.message, ...(error instanceof AddressRefused ? { refused: true } : {}) }));
    req.end(input.body);
  });
}
