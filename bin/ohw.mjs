#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so a checkout needs no build step (`npx ohw …`).
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
