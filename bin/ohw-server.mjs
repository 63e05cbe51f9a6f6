#!/usr/bin/env node
// `ohw-server [start|rebuild]`: the registry server, run through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../server/main.ts');
