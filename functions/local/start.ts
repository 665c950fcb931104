/**
 * `npm start`: DynamoDB Local, the table, the demo tenant, and the API on one machine.
 * Data lives under `.data/` across restarts; `npm start -- --memory` throws it away.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createHandler } from '../api/createHandler';
import { localTokenService } from '../api/auth/tokens';
import { ROUTES } from '../api/routes';
import { createServices } from '../api/services';
import { ensureTable } from '../store/createTable';
import { startDynamoLocal } from './dynamoLocal';
import { createApiServer, staticSite } from './httpAdapter';
import type { LambdaHandler } from './httpAdapter';
import { DEMO_TENANT, seedDemoTenant } from './seed';
import { StreamPoller } from './streamPoller';
import { handleStreamRecords } from '../automation/streamConsumer';
import { TickLoop } from './tick';

const ROOT = resolve(import.meta.dirname, '../..');
const memory = process.argv.includes('--memory');
const dataDir = resolve(ROOT, '.data');
const port = Number(process.env.PORT ?? 3000);
const tableName = process.env.TESSERA_TABLE ?? 'tessera';

/** A value kept in `.data/` so restarts reuse it (tokens stay valid, logins stay the same). */
function persistent(file: string, make: () => string): string {
  if (memory) return make();
  const path = resolve(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = make();
  writeFileSync(path, value + '\n', { mode: 0o600 });
  return value;
}

async function main(): Promise<void> {
  if (!memory) mkdirSync(dataDir, { recursive: true });
  const dynamo = await startDynamoLocal({
    ...(process.env.TESSERA_DYNAMODB_PORT ? { port: Number(process.env.TESSERA_DYNAMODB_PORT) } : {}),
    ...(memory ? {} : { dataDir: resolve(dataDir, 'dynamodb') }),
  });
  const stopAll: Array<() => Promise<void> | void> = [() => dynamo.stop()];
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    for (const s of stopAll.reverse()) await s();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    const secret = persistent('jwt-secret', () => randomBytes(32).toString('base64url'));
    const services = createServices({ store: { tableName, endpoint: dynamo.endpoint }, tokens: localTokenService(Buffer.from(secret, 'base64url')) });
    await ensureTable(services.doc, tableName);
    const password = process.env.TESSERA_DEMO_PASSWORD ?? persistentPassword();
    const template = process.env.TESSERA_TEMPLATE ?? 'ict';
    const { created, logins } = await seedDemoTenant(services, password, template);
    if (!memory) writeFileSync(resolve(dataDir, 'demo-logins.json'), JSON.stringify(logins, null, 2) + '\n', { mode: 0o600 });

    const handler = createHandler(ROUTES, services) as unknown as LambdaHandler;
    const consoleDir = resolve(ROOT, 'admin-ui/dist');
    const server = createApiServer(handler, staticSite(consoleDir));
    await new Promise<void>((ok, fail) => server.once('error', fail).listen(port, '127.0.0.1', ok));
    stopAll.push(() => new Promise<void>((r) => server.close(() => r())));

    // After-save automation: the table's stream, read as Lambda's event source would deliver it.
    const poller = new StreamPoller({ endpoint: dynamo.endpoint, tableName, handle: (records) => handleStreamRecords(services, records), intervalMs: Number(process.env.TESSERA_STREAM_POLL_MS ?? 500), onError: (e) => console.error(`automation: ${e.message}`) });
    poller.start();
    stopAll.push(() => poller.stop());
    // Timers (and webhook deliveries, with no queue locally): the schedule's tick, every TESSERA_TICK_SECONDS.
    const ticks = new TickLoop({
      services,
      intervalMs: Number(process.env.TESSERA_TICK_SECONDS ?? 15) * 1000,
      onError: (e) => console.error(`tick: ${e.message}`),
      onResult: ({ timers }) => {
        if (timers.fired + timers.cancelled + timers.failed > 0) console.log(`tick: ${timers.fired} timer(s) fired, ${timers.cancelled} cancelled${timers.failed ? `, ${timers.failed} failed (retried next tick)` : ''}`);
      },
    });
    ticks.start();
    stopAll.push(() => ticks.stop());

    const url = `http://127.0.0.1:${port}`;
    console.log(`
Tessera is running${memory ? ' (in memory: nothing is kept)' : ''}
  Admin console   ${existsSync(resolve(consoleDir, 'index.html')) ? `${url}/` : `not built — run \`npx vite build --config admin-ui/vite.config.ts\` (npm start does it)`}
  API             ${url}/api/health
  Automation      stream poller every ${Number(process.env.TESSERA_STREAM_POLL_MS ?? 500)} ms (after-save rules, webhooks)
                  tick every ${ticks.intervalMs / 1000} s (timers, webhook deliveries)
  DynamoDB Local  ${dynamo.endpoint}  (table "${tableName}"${memory ? '' : `, data in ${dataDir}`})
  Demo tenant     "${DEMO_TENANT}" ${created ? `(created now: crm-core + ${template})` : '(already there)'}

Sign in: POST ${url}/auth/login  {"tenant":"${DEMO_TENANT}","email":…,"password":…}
${logins.map((l) => `  ${l.email.padEnd(30)} ${l.roles.join(',')}`).join('\n')}
  password: ${password}${memory ? '' : `   (also in .data/demo-logins.json)`}

Ctrl-C stops everything.`);
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}

/** Generated once and kept, so the printed logins keep working after a restart. */
function persistentPassword(): string {
  return persistent('demo-password', () => `tessera-${randomBytes(6).toString('base64url')}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
