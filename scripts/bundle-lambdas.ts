import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, type Metafile, build } from 'esbuild';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The file each Lambda's handler is written to; the CDK functions' handler is `index.handler`. */
export const LAMBDA_ENTRY_FILE = 'index.mjs';

/**
 * The esbuild options every Lambda is bundled with. The CDK stack bundles with the same values
 * (through lambdaBuildOptions), so the size measured here is the size that gets deployed.
 */
export const LAMBDA_ESBUILD_OPTIONS: Readonly<BuildOptions> = {
  bundle: true,
  platform: 'node',
  // Lambda runs nodejs22.x; the bundle is ESM so the handler's top-level await works.
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  // ESM builds of dependencies tree-shake better than their CommonJS builds.
  mainFields: ['module', 'main'],
  // Code reached only through `await import()` (the native providers, the Bedrock SDK glue,
  // local mode) goes into chunks of its own, loaded the first time a request needs it, so the
  // entry file holds only what every cold start runs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // .mjs for the chunks too: the asset has no package.json saying "type": "module".
  outExtension: { '.js': '.mjs' },
  // The Lambda Node.js runtime ships AWS SDK v3; bundling it would only add cold-start bytes.
  // dynalite is local mode's database, loaded only there (`await import`), never on Lambda.
  // @smithy/* stays bundled: the runtime does not reliably expose @smithy/node-http-handler as
  // a top-level package (aws/aws-sdk-js-v3#6169), and it sits in the Bedrock chunk anyway.
  external: ['@aws-sdk/*', 'dynalite'],
  // A CommonJS dependency that calls require() would throw inside an ES module; this gives it one.
  banner: {
    js: "import{createRequire as __turnpikeCreateRequire}from'node:module';const require=__turnpikeCreateRequire(import.meta.url);",
  },
};

/**
 * The complete esbuild options for one Lambda: `lambdas/<name>/handler.ts` written to
 * `<outdir>/index.mjs`, with the code it loads on first use in `<outdir>/chunks/`.
 */
export function lambdaBuildOptions(name: string, outdir: string): BuildOptions {
  return {
    ...LAMBDA_ESBUILD_OPTIONS,
    entryPoints: { [LAMBDA_ENTRY_FILE.replace(/\.mjs$/, '')]: join(REPO_ROOT, 'lambdas', name, 'handler.ts') },
    outdir,
    absWorkingDir: REPO_ROOT,
  };
}

export interface LambdaBundleSize {
  /** The Lambda's folder name under lambdas/, e.g. `gateway`. */
  name: string;
  /** The folder written (index.mjs and chunks/), relative to the repo root. */
  outdir: string;
  /** The entry file, relative to the repo root. */
  outfile: string;
  /**
   * Bytes a cold start loads: the entry file and the chunks it imports statically (code it
   * shares with lazily loaded modules lands in such chunks, so the entry file alone would
   * undercount). This is the figure the bundle-size target is measured on.
   */
  bytes: number;
  /** Bytes of the entry file alone. */
  entryBytes: number;
  /** Bytes of every file written, including the chunks loaded only on first use. */
  totalBytes: number;
  /** Every file written: the entry, then the chunks loaded at start-up, then the rest, largest first. */
  files: BundleFile[];
  /** Where the bytes loaded at start-up come from, largest first. */
  contributors: BundleContributor[];
}

export interface BundleFile {
  /** Relative to the Lambda's outdir: `index.mjs`, `chunks/<name>-<hash>.mjs`. */
  path: string;
  bytes: number;
  /** Whether a cold start loads it (the entry, or a chunk the entry imports statically). */
  loadedAtStartup: boolean;
  /** Where the bytes come from: an npm package, or a repo folder two levels deep. */
  contributors: BundleContributor[];
}

export interface BundleContributor {
  source: string;
  bytes: number;
}

export interface BundleLambdasOptions {
  /** Only these Lambdas (folder names under lambdas/). @default every lambdas/<name>/handler.ts */
  names?: readonly string[];
  /** Where the bundles go, one folder per Lambda holding index.mjs and chunks/. @default `<repo>/dist/lambdas` */
  outdir?: string;
}

/** The Lambdas that exist: every folder under lambdas/ with a handler.ts. */
export function listLambdaNames(): string[] {
  const lambdasFolder = join(REPO_ROOT, 'lambdas');
  return readdirSync(lambdasFolder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(lambdasFolder, entry.name, 'handler.ts')))
    .map((entry) => entry.name)
    .sort();
}

/** Bundle each Lambda handler to `<outdir>/<name>/` and return the minified sizes of its files. */
export async function bundleLambdas(options: BundleLambdasOptions = {}): Promise<LambdaBundleSize[]> {
  const outdir = options.outdir ?? join(REPO_ROOT, 'dist', 'lambdas');
  const sizes: LambdaBundleSize[] = [];
  for (const name of options.names ?? listLambdaNames()) {
    const lambdaOutdir = join(outdir, name);
    // Chunk names carry a content hash: without this, chunks of earlier builds would pile up.
    await rm(lambdaOutdir, { recursive: true, force: true });
    const result = await build({ ...lambdaBuildOptions(name, lambdaOutdir), logLevel: 'warning', metafile: true });
    const files = describeOutputs(result.metafile, lambdaOutdir);
    const entry = files[0];
    if (entry?.path !== LAMBDA_ENTRY_FILE) throw new Error(`esbuild wrote no ${LAMBDA_ENTRY_FILE} for ${name}`);
    const atStartup = files.filter((file) => file.loadedAtStartup);
    sizes.push({
      name,
      outdir: relative(REPO_ROOT, lambdaOutdir),
      outfile: relative(REPO_ROOT, join(lambdaOutdir, LAMBDA_ENTRY_FILE)),
      bytes: atStartup.reduce((sum, file) => sum + file.bytes, 0),
      entryBytes: entry.bytes,
      totalBytes: files.reduce((sum, file) => sum + file.bytes, 0),
      files,
      contributors: mergeContributors(atStartup.flatMap((file) => file.contributors)),
    });
  }
  return sizes;
}

/** The files esbuild wrote, entry first, each marked with whether a cold start loads it. */
function describeOutputs(metafile: Metafile, outdir: string): BundleFile[] {
  const outputs = Object.entries(metafile.outputs);
  // Output paths in the metafile are relative to absWorkingDir, the repo root.
  const relativePath = (path: string): string => relative(outdir, resolve(REPO_ROOT, path));
  const entry = outputs.find(([path]) => relativePath(path) === LAMBDA_ENTRY_FILE);
  const loadedAtStartup = new Set<string>();
  // Static imports are evaluated before the entry runs; `import()` waits for first use.
  for (const pending = entry === undefined ? [] : [entry[0]]; pending.length > 0; ) {
    const path = pending.pop() as string;
    if (loadedAtStartup.has(path)) continue;
    loadedAtStartup.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement' && imported.external !== true) pending.push(imported.path);
    }
  }
  return outputs
    .map(([path, output]) => ({
      path: relativePath(path),
      bytes: output.bytes,
      loadedAtStartup: loadedAtStartup.has(path),
      contributors: mergeContributors(Object.entries(output.inputs).map(([source, input]) => ({ source: groupName(source), bytes: input.bytesInOutput }))),
    }))
    .sort(
      (left, right) =>
        Number(right.path === LAMBDA_ENTRY_FILE) - Number(left.path === LAMBDA_ENTRY_FILE) ||
        Number(right.loadedAtStartup) - Number(left.loadedAtStartup) ||
        right.bytes - left.bytes,
    );
}

/** An npm package name, or for repo files the folder two levels deep (three under shared/). */
function groupName(source: string): string {
  // The last node_modules segment names the package even when packages nest.
  const inPackage = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  return inPackage?.[1] ?? source.split('/').slice(0, source.startsWith('shared/') ? 3 : 2).join('/');
}

function mergeContributors(contributors: readonly BundleContributor[]): BundleContributor[] {
  const totals = new Map<string, number>();
  for (const contributor of contributors) totals.set(contributor.source, (totals.get(contributor.source) ?? 0) + contributor.bytes);
  return [...totals]
    .map(([source, bytes]) => ({ source, bytes }))
    .filter((contributor) => contributor.bytes > 0)
    .sort((left, right) => right.bytes - left.bytes);
}

/** Kilobytes (1 KB = 1024 bytes, as esbuild reports them) with one decimal. */
export function formatKilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function main(): Promise<void> {
  for (const size of await bundleLambdas()) {
    const later = size.files.filter((file) => !file.loadedAtStartup);
    console.log(
      `${size.name}: ${size.outdir}/ loads ${formatKilobytes(size.bytes)} at start-up (${size.bytes} bytes, minified; ` +
        `${LAMBDA_ENTRY_FILE} ${formatKilobytes(size.entryBytes)}), ${formatKilobytes(size.totalBytes)} in all with ${later.length} chunks loaded on first use`,
    );
    for (const contributor of size.contributors.slice(0, 10)) {
      console.log(`  ${formatKilobytes(contributor.bytes).padStart(9)}  ${contributor.source}`);
    }
    for (const file of size.files) {
      const sources = file.contributors.slice(0, 3).map((contributor) => contributor.source);
      const when = file.loadedAtStartup ? 'start-up ' : 'first use';
      console.log(`  ${when} ${formatKilobytes(file.bytes).padStart(9)}  ${file.path}  (${sources.join(', ')})`);
    }
  }
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  main().catch((error: unknown) => {
    // esbuild has already printed each build error with its location.
    console.error(`bundle-lambdas: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
