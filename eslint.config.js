// @ts-check
// Lint config: typescript-eslint's recommended rules (syntactic only, so `npm run lint` stays
// fast on a small machine) plus the dependency direction of docs/ARCHITECTURE.md, enforced
// with `no-restricted-imports` patterns per folder. test/unit/lint/import-boundaries.test.ts
// holds a table of allowed and forbidden imports so these rules cannot silently stop working.
//
// Flat config replaces (does not merge) a rule's options when several blocks match one file,
// so every block below repeats the patterns common to all files through `restrictImports`.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

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
const SHARED_FOLDERS = [
  'core',
  'ports',
  'protocol',
  ...FEATURE_MODULES,
  'providers',
  'adapters',
  'runtime',
  'engine',
  'admin',
  'http',
];
const ADAPTER_FOLDERS = ['aws', 'local', 'node'];

/** @typedef {{ regex: string, message: string, caseSensitive?: boolean, allowTypeImports?: boolean }} ImportPattern */

/** A relative import path (`./x`, `../x`) whose folders include one of `names`. */
function relativeFolderRegex(/** @type {string[]} */ names) {
  return `^\\.{1,2}/(?:.*/)?(?:${names.join('|')})(?:/|$)`;
}

const escapeRegex = (/** @type {string} */ text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const BUILTIN_MODULES = builtinModules.filter((name) => !name.startsWith('_'));

/** Alternatives matching a node builtin, with or without the `node:` prefix. */
const NODE_BUILTIN_ALTERNATIVES = `node:|(?:${BUILTIN_MODULES.map(escapeRegex).join('|')})(?:/|$)`;

/**
 * A package import (not relative, not absolute) other than the `allowed` packages (and,
 * when `nodeBuiltins` is set, node builtins).
 */
function packageExceptRegex(/** @type {string[]} */ allowed, nodeBuiltins = false) {
  const alternatives = ['[./]'];
  if (allowed.length > 0) alternatives.push(`(?:${allowed.map(escapeRegex).join('|')})(?:/|$)`);
  if (nodeBuiltins) alternatives.push(NODE_BUILTIN_ALTERNATIVES);
  return `^(?!${alternatives.join('|')})`;
}

/** A folder-based import restriction with its explanation. */
function pattern(/** @type {string} */ regex, /** @type {string} */ message, allowTypeImports = false) {
  /** @type {ImportPattern} */
  const restriction = { regex, message, caseSensitive: true };
  if (allowTypeImports) restriction.allowTypeImports = true;
  return restriction;
}

const AWS_SDK = '^(?:@aws-sdk|@smithy|@aws-crypto)/|^aws-sdk(?:/|$)';

/** Applies to every file in the repo. */
const COMMON = [
  pattern('^(?:/|file:)', 'No absolute import paths: they point outside the repo.'),
  pattern(
    '^(?:\\./)?(?:\\.\\./)+shared(?:/(?!src(?:/|$)|package\\.json$)|$)|^\\.{1,2}/(?:.*/)?shared/data(?:/|$)',
    'Nothing may import from the reference folder beside the repo (../shared/data, DESIGN.md): copy what you need into the repo.',
  ),
];

/** Applies to every file under shared/. */
const SHARED_BASE = [
  pattern(relativeFolderRegex(['test']), 'Production code under shared/ never imports from test/.'),
  pattern(
    '^zod(?!/(?:mini|locales)$)(?:/|$)',
    "shared/ uses zod/mini (`import * as z from '<...>/protocol/zod-mini-english.ts'`): the classic zod API cannot be tree-shaken and adds about 400 KB to every Lambda bundle.",
  ),

  pattern('^vitest(?:/|$)', 'Production code under shared/ never imports test tooling.'),
  pattern(
    '^@turnpike/shared(?:/|$)',
    'Inside shared/ import other engine files by relative path, so the folder rules below can see them.',
  ),
];

const NO_ADAPTERS = pattern(
  relativeFolderRegex(['adapters']),
  'Only shared/src/runtime/ (the composition roots) may import adapters.',
);

const NO_AWS_SDK = pattern(
  AWS_SDK,
  'The AWS SDK is used only under shared/src/adapters/aws/ and shared/src/providers/bedrock/.',
);

/** The rule entry for a block: the common patterns plus `extra`. */
function restrictImports(/** @type {ImportPattern[]} */ ...extra) {
  return {
    '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...COMMON, ...extra] }],
  };
}

/** The shared/src folders other than `allowed`. */
function foldersExcept(/** @type {string[]} */ allowed) {
  return SHARED_FOLDERS.filter((name) => !allowed.includes(name));
}

const featureModuleBlocks = FEATURE_MODULES.map((feature) => ({
  name: `turnpike/imports/feature-${feature}`,
  files: [`shared/src/${feature}/**`],
  rules: restrictImports(
    ...SHARED_BASE,
    pattern(
      relativeFolderRegex(foldersExcept(['core', 'ports', 'protocol', feature])),
      `Feature modules (shared/src/${feature}/) import only core, ports, protocol and their own folder.`,
    ),
    pattern(
      packageExceptRegex(['zod/mini'], true),
      'Feature modules use no npm packages besides zod/mini (node builtins are fine); inject what they need through a port.',
    ),
  ),
}));

const adapterBlocks = ADAPTER_FOLDERS.map((adapter) => ({
  name: `turnpike/imports/adapters-${adapter}`,
  files: [`shared/src/adapters/${adapter}/**`],
  rules: restrictImports(
    ...SHARED_BASE,
    ...adapterPatterns(ADAPTER_FOLDERS.filter((name) => name !== adapter)),
    ...(adapter === 'aws' ? [] : [NO_AWS_SDK]),
  ),
}));

/** What every adapter may not import, `otherAdapters` being the sibling adapter folders. */
function adapterPatterns(/** @type {string[]} */ otherAdapters) {
  return [
    pattern(
      relativeFolderRegex(foldersExcept(['core', 'ports', 'protocol', 'adapters'])),
      'Adapters import only ports, core, protocol types and their own adapter folder.',
    ),
    pattern(relativeFolderRegex(['protocol']), 'Adapters may import protocol types only (use `import type`).', true),
    pattern(relativeFolderRegex(otherAdapters), 'An adapter imports only its own adapter folder.'),
  ];
}

const LAMBDA_ALLOWED_PACKAGES = [
  '@turnpike/shared/runtime/',
  '@turnpike/shared/http/',
  '@turnpike/shared/engine/',
  '@middy/',
  '@aws-lambda-powertools/',
];
export default defineConfig(
  {
    name: 'turnpike/ignores',
    ignores: ['**/node_modules/', '**/cdk.out/', '**/dist/', '**/coverage/', '**/.turnpike/'],
  },
  tseslint.configs.recommended,
  {
    name: 'turnpike/base',
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      ...restrictImports(),
    },
  },
  {
    name: 'turnpike/shared',
    files: ['shared/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // no-restricted-imports cannot tell `import { z }` from `import * as z` (it refuses both).
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[importKind!='type'][source.value=/zod-mini-english/] > ImportSpecifier[importKind!='type'][imported.name='z']",
          message:
            "Import zod as a namespace, `import * as z from '<...>/protocol/zod-mini-english.ts'`: esbuild tree-shakes only that form; the `z` object keeps all of zod (about 400 KB) in the bundle.",
        },
      ],
      ...restrictImports(...SHARED_BASE, NO_ADAPTERS, NO_AWS_SDK),
    },
  },
  {
    name: 'turnpike/imports/core',
    files: ['shared/src/core/**'],
    rules: restrictImports(
      ...SHARED_BASE,
      pattern(relativeFolderRegex(foldersExcept(['core'])), 'core/ imports only other core files.'),
      pattern(packageExceptRegex([]), 'core/ imports no packages, not even node builtins.'),
    ),
  },
  {
    name: 'turnpike/imports/ports',
    files: ['shared/src/ports/**'],
    rules: restrictImports(
      ...SHARED_BASE,
      pattern(relativeFolderRegex(foldersExcept(['core', 'ports'])), 'ports/ import only core and other ports.'),
      pattern(packageExceptRegex([]), 'ports/ are interfaces only and import no packages.'),
    ),
  },
  {
    name: 'turnpike/imports/protocol',
    files: ['shared/src/protocol/**'],
    rules: restrictImports(
      ...SHARED_BASE,
      pattern(
        relativeFolderRegex(foldersExcept(['core', 'ports', 'protocol'])),
        'protocol/ imports only core, port types and other protocol files.',
      ),
      pattern(relativeFolderRegex(['ports']), 'protocol/ may import port types only (use `import type`).', true),
      pattern(
        packageExceptRegex(['zod/mini', 'zod/locales', 'eventsource-parser']),
        'protocol/ uses no packages besides zod/mini (with zod/locales) and eventsource-parser.',
      ),
    ),
  },
  ...featureModuleBlocks,
  {
    name: 'turnpike/imports/providers',
    files: ['shared/src/providers/**'],
    rules: restrictImports(
      ...SHARED_BASE,
      pattern(
        relativeFolderRegex(foldersExcept(['core', 'ports', 'protocol', 'providers'])),
        'providers/ import only core, ports, protocol and other providers.',
      ),
      NO_AWS_SDK,
    ),
  },
  {
    name: 'turnpike/imports/providers-bedrock',
    files: ['shared/src/providers/bedrock/**'],
    rules: restrictImports(
      ...SHARED_BASE,
      pattern(
        relativeFolderRegex(foldersExcept(['core', 'ports', 'protocol', 'providers'])),
        'providers/ import only core, ports, protocol and other providers.',
      ),
    ),
  },
  {
    name: 'turnpike/imports/adapters',
    files: ['shared/src/adapters/**'],
    rules: restrictImports(...SHARED_BASE, ...adapterPatterns(ADAPTER_FOLDERS), NO_AWS_SDK),
  },
  ...adapterBlocks,
  {
    name: 'turnpike/imports/runtime',
    files: ['shared/src/runtime/**'],
    rules: restrictImports(...SHARED_BASE, NO_AWS_SDK),
  },
  {
    name: 'turnpike/imports/engine',
    files: ['shared/src/engine/**'],
    rules: restrictImports(
      ...SHARED_BASE,
      NO_ADAPTERS,
      NO_AWS_SDK,
      pattern(relativeFolderRegex(['runtime', 'http']), 'engine/ never imports runtime/ or http/ (they depend on it).'),
    ),
  },
  {
    name: 'turnpike/imports/admin',
    files: ['shared/src/admin/**'],
    rules: restrictImports(
      ...SHARED_BASE,
      NO_ADAPTERS,
      NO_AWS_SDK,
      pattern(relativeFolderRegex(['runtime', 'http']), 'admin/ never imports runtime/ or http/ (they depend on it).'),
    ),
  },
  {
    name: 'turnpike/imports/http',
    files: ['shared/src/http/**'],
    rules: restrictImports(
      ...SHARED_BASE,
      NO_ADAPTERS,
      NO_AWS_SDK,
      pattern(relativeFolderRegex(['runtime']), 'http/ never imports runtime/ (the runtime is handed in).'),
    ),
  },
  {
    name: 'turnpike/imports/lambdas',
    files: ['lambdas/**'],
    rules: restrictImports(
      pattern(
        `^(?!\\./|${LAMBDA_ALLOWED_PACKAGES.map(escapeRegex).join('|')}|${NODE_BUILTIN_ALTERNATIVES})`,
        'Lambdas import only @turnpike/shared/{runtime,http,engine}/*, @middy/*, @aws-lambda-powertools/*, node builtins and files in their own folder.',
      ),
      pattern('(?:^|/)\\.\\.(?:/|$)', 'Lambdas import only files in their own folder, and shared code through @turnpike/shared/*.'),
    ),
  },
  {
    name: 'turnpike/imports/infra',
    files: ['infra/**'],
    rules: restrictImports(
      pattern(
        '^@turnpike/shared/protocol/config-schema$',
        'infra/ may import config types only (use `import type`).',
        true,
      ),
      pattern(
        '^@turnpike/shared(?!/protocol/config-schema$)(?:/|$)',
        'infra/ imports nothing from shared except the config types in @turnpike/shared/protocol/config-schema.',
      ),
      pattern(relativeFolderRegex(['shared']), 'infra/ reaches shared only through `import type` from @turnpike/shared/protocol/config-schema.'),
      pattern(relativeFolderRegex(['lambdas']), 'infra/ never imports lambda code; it points NodejsFunction at the entry file by path.'),
    ),
  },
);
