import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Lints small snippets at virtual paths with the repo's real eslint.config.js, so a typo
// in a glob or a regex that silently stops a boundary rule from firing fails here.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const RULE = '@typescript-eslint/no-restricted-imports';

type ImportKind = 'value' | 'type';

interface BoundaryCase {
  /** Path of the importing file, relative to the repo root. */
  file: string;
  /** The import string. */
  source: string;
  /** `type` writes `import type`; defaults to a value import. */
  kind?: ImportKind;
}

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ overrideConfigFile: 'eslint.config.js', cwd: repoRoot });
});

function snippet(source: string, kind: ImportKind): string {
  return kind === 'type'
    ? `import type { Imported } from '${source}';\nexport type { Imported };\n`
    : `import { imported } from '${source}';\nexport { imported };\n`;
}

async function lintMessages(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}${file}` });
  if (!result) throw new Error(`no lint result for ${file}`);
  const fatal = result.messages.filter((message) => message.fatal);
  expect(fatal, `${file} did not parse`).toEqual([]);
  return result.messages;
}

async function boundaryViolations({ file, source, kind = 'value' }: BoundaryCase): Promise<string[]> {
  const messages = await lintMessages(file, snippet(source, kind));
  return messages.filter((message) => message.ruleId === RULE).map((message) => message.message);
}

function describeCase({ file, source, kind = 'value' }: BoundaryCase): string {
  return `${file} ${kind === 'type' ? 'import type' : 'import'} '${source}'`;
}

const FEATURE_MODULES = [
  'routing',
  'security',
  'cache',
  'keys',
  'budgets',
  'ratelimit',
  'guardrails',
  'prompts',
  'logging',
  'analytics',
];

const allowed: BoundaryCase[] = [
  // core: only other core files
  { file: 'shared/src/core/usage.ts', source: './json.ts' },
  { file: 'shared/src/core/usage.ts', source: '../core/json.ts', kind: 'type' },

  // ports: core and other ports
  { file: 'shared/src/ports/cache-store.ts', source: '../core/json.ts', kind: 'type' },
  { file: 'shared/src/ports/cache-store.ts', source: './clock.ts', kind: 'type' },

  // protocol: core, port types, protocol, zod, eventsource-parser
  { file: 'shared/src/protocol/sse-encoding.ts', source: '../core/gateway-error.ts' },
  { file: 'shared/src/protocol/sse-encoding.ts', source: './retry-after.ts' },
  { file: 'shared/src/protocol/sse-encoding.ts', source: '../ports/clock.ts', kind: 'type' },
  { file: 'shared/src/protocol/zod-mini-english.ts', source: 'zod/mini' },
  { file: 'shared/src/protocol/zod-mini-english.ts', source: 'zod/locales' },
  { file: 'shared/src/protocol/config-schema.ts', source: './zod-mini-english.ts' },
  { file: 'shared/src/protocol/sse-decoding.ts', source: 'eventsource-parser' },
  { file: 'shared/src/protocol/sse-decoding.ts', source: 'eventsource-parser/stream' },

  // feature modules: core, ports, protocol, own folder, node builtins, zod/mini
  ...FEATURE_MODULES.flatMap((feature): BoundaryCase[] => [
    { file: `shared/src/${feature}/x.ts`, source: '../core/json.ts' },
    { file: `shared/src/${feature}/x.ts`, source: '../ports/clock.ts', kind: 'type' },
    { file: `shared/src/${feature}/x.ts`, source: '../protocol/config-schema.ts' },
    { file: `shared/src/${feature}/x.ts`, source: './y.ts' },
    { file: `shared/src/${feature}/deeper/x.ts`, source: `../../${feature}/y.ts` },
  ]),
  { file: 'shared/src/routing/strategies/fallback.ts', source: '../../core/gateway-error.ts' },
  { file: 'shared/src/routing/strategies/fallback.ts', source: '../target-node.ts', kind: 'type' },
  { file: 'shared/src/keys/hash-gateway-key.ts', source: 'node:crypto' },
  { file: 'shared/src/keys/hash-gateway-key.ts', source: 'crypto' },
  { file: 'shared/src/guardrails/guardrail-schema.ts', source: 'zod/mini' },
  { file: 'shared/src/runtime/read-runtime-options.ts', source: '../protocol/zod-mini-english.ts' },
  { file: 'shared/src/admin/admin-input.ts', source: '../protocol/zod-mini-english.ts', kind: 'type' },

  // providers: core, ports, protocol, other providers, packages; AWS SDK only in bedrock
  { file: 'shared/src/providers/anthropic/convert-request.ts', source: '../../core/json.ts' },
  { file: 'shared/src/providers/anthropic/convert-request.ts', source: '../../ports/clock.ts', kind: 'type' },
  { file: 'shared/src/providers/anthropic/stream-transformer.ts', source: '../../protocol/sse-encoding.ts' },
  { file: 'shared/src/providers/anthropic/convert-request.ts', source: '../provider-model.ts', kind: 'type' },
  { file: 'shared/src/providers/anthropic/errors.ts', source: '../openai-compatible/read-upstream-error.ts' },
  { file: 'shared/src/providers/anthropic/stream-transformer.ts', source: 'eventsource-parser' },
  { file: 'shared/src/providers/bedrock/bedrock-provider.ts', source: '@aws-sdk/client-bedrock-runtime' },
  { file: 'shared/src/providers/bedrock/sign-request.ts', source: '@smithy/signature-v4' },
  { file: 'shared/src/providers/bedrock/bedrock-provider.ts', source: '../provider-model.ts', kind: 'type' },

  // adapters: ports, core, protocol types, own folder; AWS SDK only in adapters/aws
  { file: 'shared/src/adapters/aws/dynamodb-cache-store.ts', source: '@aws-sdk/client-dynamodb' },
  { file: 'shared/src/adapters/aws/dynamodb-cache-store.ts', source: '@aws-sdk/lib-dynamodb' },
  { file: 'shared/src/adapters/aws/dynamodb-cache-store.ts', source: '../../ports/cache-store.ts', kind: 'type' },
  { file: 'shared/src/adapters/aws/dynamodb-cache-store.ts', source: '../../core/json.ts' },
  { file: 'shared/src/adapters/aws/dynamodb-cache-store.ts', source: './dynamodb-keys.ts' },
  { file: 'shared/src/adapters/aws/dynamodb-config-store.ts', source: '../../protocol/config-schema.ts', kind: 'type' },
  { file: 'shared/src/adapters/local/file-key-vault.ts', source: 'node:crypto' },
  { file: 'shared/src/adapters/local/start-dynalite.ts', source: 'dynalite' },
  { file: 'shared/src/adapters/local/file-key-vault.ts', source: '../../ports/key-vault.ts', kind: 'type' },
  { file: 'shared/src/adapters/node/dns-host-resolver.ts', source: 'node:dns/promises' },

  // runtime: the composition roots may import anything inside shared/src
  { file: 'shared/src/runtime/local.ts', source: '../adapters/local/z.ts' },
  { file: 'shared/src/runtime/aws.ts', source: '../adapters/aws/dynamodb-cache-store.ts' },
  { file: 'shared/src/runtime/local.ts', source: '../engine/create-gateway-engine.ts' },
  { file: 'shared/src/runtime/local.ts', source: '../providers/openai-compatible/openai-compatible-provider.ts' },
  { file: 'shared/src/runtime/local.ts', source: '../security/host-guard.ts' },
  { file: 'shared/src/runtime/local.ts', source: '../http/create-function-url-handler.ts' },

  // engine and http
  { file: 'shared/src/engine/create-gateway-engine.ts', source: '../routing/execute-target-tree.ts' },
  { file: 'shared/src/engine/create-gateway-engine.ts', source: '../providers/provider-model.ts', kind: 'type' },
  { file: 'shared/src/engine/create-gateway-engine.ts', source: '../protocol/sse-encoding.ts' },
  { file: 'shared/src/engine/create-gateway-engine.ts', source: '../cache/cache-key.ts' },
  { file: 'shared/src/http/create-function-url-handler.ts', source: '../engine/gateway-engine.ts', kind: 'type' },
  { file: 'shared/src/http/function-url-streaming-handler.ts', source: 'node:stream', kind: 'type' },

  // lambdas: runtime/http/engine through the package, middy, powertools, builtins, own folder
  { file: 'lambdas/gateway/handler.ts', source: '@turnpike/shared/runtime/aws' },
  { file: 'lambdas/gateway/handler.ts', source: '@turnpike/shared/http/create-function-url-handler' },
  { file: 'lambdas/gateway/handler.ts', source: '@turnpike/shared/engine/gateway-engine', kind: 'type' },
  { file: 'lambdas/gateway/handler.ts', source: '@middy/core' },
  { file: 'lambdas/gateway/handler.ts', source: '@middy/core/StreamifyResponse' },
  { file: 'lambdas/gateway/handler.ts', source: '@aws-lambda-powertools/logger' },
  { file: 'lambdas/gateway/handler.ts', source: 'node:stream' },
  { file: 'lambdas/gateway/handler.ts', source: 'stream/promises' },
  { file: 'lambdas/gateway/handler.ts', source: './awslambda-shim.ts' },

  // infra: config types only from shared
  { file: 'infra/lib/gateway-stack.ts', source: '@turnpike/shared/protocol/config-schema', kind: 'type' },
  { file: 'infra/lib/gateway-stack.ts', source: 'aws-cdk-lib' },
  { file: 'infra/lib/gateway-stack.ts', source: 'aws-cdk-lib/aws-lambda-nodejs' },
  { file: 'infra/lib/gateway-stack.ts', source: 'constructs' },
  { file: 'infra/lib/gateway-stack.ts', source: './gateway-function.ts' },
  { file: 'infra/bin/turnpike.ts', source: '../lib/gateway-stack.ts' },
  { file: 'infra/lib/gateway-stack.ts', source: 'node:path' },

  // tests and tools may reach into shared/src and use any package
  { file: 'test/unit/core/json.test.ts', source: '../../../shared/src/core/json.ts' },
  { file: 'test/unit/adapters/aws/x.test.ts', source: '../../../../shared/src/adapters/aws/x.ts' },
  { file: 'test/integration/x.test.ts', source: '@aws-sdk/client-dynamodb' },
  { file: 'test/integration/x.test.ts', source: '../fixtures/provider-fixtures/anthropic.ts' },
  { file: 'scripts/bundle-lambdas.ts', source: 'esbuild' },
];

const forbidden: BoundaryCase[] = [
  // core imports nothing else
  { file: 'shared/src/core/x.ts', source: '../providers/y.ts' },
  { file: 'shared/src/core/x.ts', source: '../providers/provider-model.ts', kind: 'type' },
  { file: 'shared/src/core/x.ts', source: '../ports/clock.ts', kind: 'type' },
  { file: 'shared/src/core/x.ts', source: '../protocol/config-schema.ts', kind: 'type' },
  { file: 'shared/src/core/x.ts', source: '../routing/target-node.ts' },
  { file: 'shared/src/core/x.ts', source: '../adapters/local/z.ts' },
  { file: 'shared/src/core/x.ts', source: 'zod' },
  { file: 'shared/src/core/x.ts', source: 'node:crypto' },

  // ports import only core and ports
  { file: 'shared/src/ports/x.ts', source: '../protocol/config-schema.ts', kind: 'type' },
  { file: 'shared/src/ports/x.ts', source: '../providers/provider-model.ts', kind: 'type' },
  { file: 'shared/src/ports/x.ts', source: '../cache/cache-entry.ts', kind: 'type' },
  { file: 'shared/src/ports/x.ts', source: 'zod' },

  // protocol
  { file: 'shared/src/protocol/x.ts', source: '../ports/clock.ts' },
  { file: 'shared/src/protocol/x.ts', source: '../routing/target-node.ts', kind: 'type' },
  { file: 'shared/src/protocol/x.ts', source: '../providers/provider-model.ts', kind: 'type' },
  { file: 'shared/src/protocol/x.ts', source: '../engine/gateway-engine.ts' },
  { file: 'shared/src/protocol/x.ts', source: 'node:crypto' },
  { file: 'shared/src/protocol/x.ts', source: '@aws-sdk/client-dynamodb' },
  { file: 'shared/src/protocol/x.ts', source: 'zod-to-json-schema' },

  // the classic zod API (not tree-shakable) anywhere in shared
  { file: 'shared/src/protocol/config-schema.ts', source: 'zod' },
  { file: 'shared/src/protocol/config-schema.ts', source: 'zod/v4' },
  { file: 'shared/src/protocol/config-schema.ts', source: 'zod', kind: 'type' },
  { file: 'shared/src/guardrails/guardrail-schema.ts', source: 'zod' },
  { file: 'shared/src/runtime/read-runtime-options.ts', source: 'zod' },
  { file: 'shared/src/providers/anthropic/x.ts', source: 'zod/v4' },

  // feature modules never reach providers, adapters, runtime, engine, http or each other
  ...FEATURE_MODULES.flatMap((feature): BoundaryCase[] => {
    const otherFeature = FEATURE_MODULES.find((name) => name !== feature) ?? 'routing';
    return [
      { file: `shared/src/${feature}/x.ts`, source: '../providers/provider-model.ts', kind: 'type' },
      { file: `shared/src/${feature}/x.ts`, source: '../adapters/local/z.ts' },
      { file: `shared/src/${feature}/x.ts`, source: '../runtime/gateway-runtime.ts', kind: 'type' },
      { file: `shared/src/${feature}/x.ts`, source: '../engine/gateway-engine.ts' },
      { file: `shared/src/${feature}/x.ts`, source: '../http/match-route.ts' },
      { file: `shared/src/${feature}/x.ts`, source: `../${otherFeature}/y.ts` },
      { file: `shared/src/${feature}/x.ts`, source: '@aws-sdk/client-dynamodb' },
      { file: `shared/src/${feature}/deeper/x.ts`, source: '../../providers/provider-model.ts' },
    ];
  }),
  { file: 'shared/src/routing/x.ts', source: 'lodash' },

  // providers
  { file: 'shared/src/providers/anthropic/x.ts', source: '../../routing/target-node.ts' },
  { file: 'shared/src/providers/anthropic/x.ts', source: '../../adapters/aws/x.ts' },
  { file: 'shared/src/providers/anthropic/x.ts', source: '../../runtime/gateway-runtime.ts', kind: 'type' },
  { file: 'shared/src/providers/anthropic/x.ts', source: '../../engine/gateway-engine.ts' },
  { file: 'shared/src/providers/anthropic/x.ts', source: '../../http/match-route.ts' },
  { file: 'shared/src/providers/anthropic/x.ts', source: '../../cache/cache-key.ts' },
  { file: 'shared/src/providers/provider-model.ts', source: '../security/host-guard.ts', kind: 'type' },
  { file: 'shared/src/providers/anthropic/x.ts', source: '@aws-sdk/client-bedrock-runtime' },
  { file: 'shared/src/providers/google/x.ts', source: '@smithy/eventstream-codec' },
  { file: 'shared/src/providers/bedrock/x.ts', source: '../../adapters/aws/x.ts' },
  { file: 'shared/src/providers/bedrock/x.ts', source: '../../routing/target-node.ts' },

  // adapters
  { file: 'shared/src/adapters/aws/x.ts', source: '../../protocol/config-schema.ts' },
  { file: 'shared/src/adapters/aws/x.ts', source: '../local/file-key-vault.ts' },
  { file: 'shared/src/adapters/aws/x.ts', source: '../../providers/provider-model.ts', kind: 'type' },
  { file: 'shared/src/adapters/aws/x.ts', source: '../../routing/target-node.ts' },
  { file: 'shared/src/adapters/aws/x.ts', source: '../../runtime/aws.ts' },
  { file: 'shared/src/adapters/aws/x.ts', source: '../../engine/gateway-engine.ts' },
  { file: 'shared/src/adapters/aws/x.ts', source: '../../cache/cache-key.ts' },
  { file: 'shared/src/adapters/local/x.ts', source: '@aws-sdk/client-dynamodb' },
  { file: 'shared/src/adapters/local/x.ts', source: '../aws/dynamodb-cache-store.ts' },
  { file: 'shared/src/adapters/local/x.ts', source: '../node/system-clock.ts' },
  { file: 'shared/src/adapters/node/x.ts', source: '../local/file-key-vault.ts' },
  { file: 'shared/src/adapters/node/x.ts', source: '@aws-sdk/client-secrets-manager' },
  { file: 'shared/src/adapters/memory/x.ts', source: '../aws/dynamodb-cache-store.ts' },
  { file: 'shared/src/adapters/memory/x.ts', source: '@aws-sdk/client-dynamodb' },

  // only runtime imports adapters; the AWS SDK stays in its two folders
  { file: 'shared/src/engine/x.ts', source: '../adapters/aws/x.ts' },
  { file: 'shared/src/engine/x.ts', source: '../runtime/local.ts' },
  { file: 'shared/src/engine/x.ts', source: '../runtime/gateway-runtime.ts', kind: 'type' },
  { file: 'shared/src/engine/x.ts', source: '../http/match-route.ts' },
  { file: 'shared/src/engine/x.ts', source: '@aws-sdk/client-dynamodb' },
  { file: 'shared/src/http/x.ts', source: '../adapters/local/z.ts' },
  { file: 'shared/src/http/x.ts', source: '../runtime/aws.ts' },
  { file: 'shared/src/http/x.ts', source: '@aws-sdk/client-dynamodb' },
  { file: 'shared/src/runtime/aws.ts', source: '@aws-sdk/client-dynamodb' },
  { file: 'shared/src/batch/x.ts', source: '../adapters/aws/x.ts' },
  { file: 'shared/src/batch/x.ts', source: '@aws-sdk/client-s3' },
  { file: 'shared/src/index.ts', source: './adapters/local/z.ts' },

  // nothing under shared/ imports tests, test tooling or itself by package name
  { file: 'shared/src/routing/x.ts', source: '../../../test/fixtures/x.ts' },
  { file: 'shared/src/runtime/local.ts', source: '../../../test/unit/helpers.ts' },
  { file: 'shared/src/providers/mock/x.ts', source: 'vitest' },
  { file: 'shared/src/routing/x.ts', source: '@turnpike/shared/core/json' },

  // lambdas
  { file: 'lambdas/gateway/handler.ts', source: '../../shared/src/runtime/aws.ts' },
  { file: 'lambdas/gateway/handler.ts', source: '@turnpike/shared/adapters/aws/x' },
  { file: 'lambdas/gateway/handler.ts', source: '@turnpike/shared/providers/provider-model', kind: 'type' },
  { file: 'lambdas/gateway/handler.ts', source: '@turnpike/shared/core/json' },
  { file: 'lambdas/gateway/handler.ts', source: '@aws-sdk/client-dynamodb' },
  { file: 'lambdas/gateway/handler.ts', source: '../admin/handler.ts' },
  { file: 'lambdas/gateway/handler.ts', source: './../admin/handler.ts' },
  { file: 'lambdas/gateway/handler.ts', source: 'zod' },
  { file: 'lambdas/gateway/handler.ts', source: 'streamx' },

  // infra
  { file: 'infra/lib/gateway-stack.ts', source: '@turnpike/shared/protocol/config-schema' },
  { file: 'infra/lib/gateway-stack.ts', source: '@turnpike/shared/runtime/aws', kind: 'type' },
  { file: 'infra/lib/gateway-stack.ts', source: '@turnpike/shared/protocol/sse-encoding', kind: 'type' },
  { file: 'infra/lib/gateway-stack.ts', source: '../../shared/src/protocol/config-schema.ts', kind: 'type' },
  { file: 'infra/lib/gateway-stack.ts', source: '../../lambdas/gateway/handler.ts' },
  { file: 'infra/bin/turnpike.ts', source: '../../lambdas/gateway/handler.ts', kind: 'type' },

  // nothing reads the reference folder beside the repo
  { file: 'vitest.config.ts', source: '../shared/data/model-prices/prices.json' },
  { file: 'test/unit/x.test.ts', source: '../../../shared/data/provider-fixtures/anthropic.json' },
  { file: 'test/unit/x.test.ts', source: '../../shared/data/x.json' },
  { file: 'test/unit/x.test.ts', source: '/work/shared/data/x.json' },
  { file: 'scripts/derive-prices.ts', source: '../../shared/DESIGN.md' },
  { file: 'bench/run-benchmark.ts', source: '../../shared' },
  { file: 'shared/src/providers/x.ts', source: '../../../../shared/data/model-prices/x.json' },
];

describe('import boundaries', () => {
  it.each(allowed.map((boundaryCase) => [describeCase(boundaryCase), boundaryCase] as const))(
    'allows %s',
    async (_name, boundaryCase) => {
      expect(await boundaryViolations(boundaryCase)).toEqual([]);
    },
  );

  it.each(forbidden.map((boundaryCase) => [describeCase(boundaryCase), boundaryCase] as const))(
    'forbids %s',
    async (_name, boundaryCase) => {
      expect(await boundaryViolations(boundaryCase)).not.toEqual([]);
    },
  );

  it('explains the rule in the message', async () => {
    const [message] = await boundaryViolations({ file: 'shared/src/engine/x.ts', source: '../adapters/aws/x.ts' });
    expect(message).toContain('Only shared/src/runtime/');
  });

  it('allows zod only as a namespace import, the one form esbuild tree-shakes', async () => {
    const violations = async (code: string) =>
      (await lintMessages('shared/src/admin/admin-schemas.ts', code))
        .filter((message) => message.ruleId === RULE || message.ruleId === 'no-restricted-syntax')
        .map((message) => message.message);
    expect(await violations("import * as z from '../protocol/zod-mini-english.ts';\nexport const name = z.string();\n")).toEqual([]);
    expect(await violations("import type { z } from '../protocol/zod-mini-english.ts';\nexport type Name = z.infer<z.ZodMiniString>;\n")).toEqual([]);
    const [message] = await violations("import { z } from '../protocol/zod-mini-english.ts';\nexport const name = z.string();\n");
    expect(message).toContain('import * as z from');
  });

  it('checks re-exports too', async () => {
    const messages = await lintMessages('shared/src/core/x.ts', "export { thing } from '../providers/y.ts';\n");
    expect(messages.map((message) => message.ruleId)).toContain(RULE);
  });
});

describe('other rules', () => {
  it('rejects explicit any in shared/src', async () => {
    const messages = await lintMessages('shared/src/core/x.ts', 'export const value: any = 1;\n');
    expect(messages.map((message) => message.ruleId)).toContain('@typescript-eslint/no-explicit-any');
  });

  it('allows unused names that start with an underscore', async () => {
    const code = 'export function handle(_event: unknown): void {\n  const _unused = 1;\n}\n';
    const messages = await lintMessages('shared/src/core/x.ts', code);
    expect(messages).toEqual([]);
  });

  it('reports other unused names', async () => {
    const messages = await lintMessages('shared/src/core/x.ts', 'export function handle(event: unknown): void {}\n');
    expect(messages.map((message) => message.ruleId)).toContain('@typescript-eslint/no-unused-vars');
  });
});
