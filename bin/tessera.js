#!/usr/bin/env node
// The `tessera` command. Runs the TypeScript sources through tsx, so the CLI is always the code in this checkout.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../functions/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
