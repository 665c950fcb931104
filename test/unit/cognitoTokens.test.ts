import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoTokenService } from '../../functions/api/auth/tokens';

/*
 * The AWS token path without AWS: a user pool stand-in serves its JWKS over local HTTP, and
 * ID tokens signed as Cognito signs them (RS256, `kid`, custom attributes) are verified by the
 * same service the route functions use. The key set is fetched on the first verification.
 */

let server: Server;
let issuer: string;
let privateKey: CryptoKey;
let otherKey: CryptoKey;
let jwksRequests = 0;
const CLIENT = 'app-client-1';

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    if (req.url === '/us-east-1_pool/.well-known/jwks.json') {
      jwksRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/us-east-1_pool`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const idToken = (claims: Record<string, unknown>, options: { key?: CryptoKey; audience?: string; issuer?: string; expires?: string } = {}) =>
  new SignJWT({ token_use: 'id', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? CLIENT)
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '1h')
    .sign(options.key ?? privateKey);

describe('Cognito ID tokens', () => {
  it('fetches the key set only when the first token arrives, and maps the custom attributes to the user context', async () => {
    const service = cognitoTokenService(issuer, CLIENT);
    expect(jwksRequests).toBe(0);
    const userId = ulid();
    const user = await service.verify(await idToken({ sub: 'cognito-sub', 'custom:tenant': 'acme', 'custom:userId': userId, 'custom:roles': 'sales_rep, sales_manager', email: 'li.lei@acme.example' }));
    expect(user).toEqual({ tenantId: 'acme', userId, roles: ['sales_rep', 'sales_manager'], email: 'li.lei@acme.example' });
    expect(jwksRequests).toBe(1);
    await service.verify(await idToken({ 'custom:tenant': 'acme', 'custom:userId': userId }));
    expect(jwksRequests).toBe(1);
  });

  it.each([
    { title: 'another app client', token: () => idToken({ 'custom:tenant': 'acme', 'custom:userId': ulid() }, { audience: 'other-client' }) },
    { title: 'another user pool', token: () => idToken({ 'custom:tenant': 'acme', 'custom:userId': ulid() }, { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other' }) },
    { title: 'a key not in the pool’s set', token: () => idToken({ 'custom:tenant': 'acme', 'custom:userId': ulid() }, { key: otherKey }) },
    { title: 'no tenant attribute', token: () => idToken({ 'custom:userId': ulid() }) },
    { title: 'an expired token', token: () => idToken({ 'custom:tenant': 'acme', 'custom:userId': ulid() }, { expires: '-1m' }) },
  ])('refuses a token of $title with auth.invalidToken', async ({ token }) => {
    const service = cognitoTokenService(issuer, CLIENT);
    await expect(service.verify(await token())).rejects.toMatchObject({ code: 'auth.invalidToken' });
  });
});
