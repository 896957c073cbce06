#!/usr/bin/env node
// The `turnpike` bin. The CLI is TypeScript; tsx's scoped loader compiles it on the fly, for
// this import only (no global hooks), so nothing has to be built before `npx turnpike` works.
import { tsImport } from 'tsx/esm/api';

const cli = await tsImport('../turnpike.ts', { parentURL: import.meta.url, tsconfig: false });
await cli.runFromProcess();
