#!/usr/bin/env node
// `npm start`: install what is missing, build if sources changed, then migrate, seed (first run) and serve.
import { ensureBuilt, ensureInstalled } from './ensure.mjs';

ensureInstalled();
ensureBuilt();
process.argv = [process.argv[0], 'fengqiao', 'start'];
await import('../dist/cli/index.js');
