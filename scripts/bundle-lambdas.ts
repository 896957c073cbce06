import { existsSync, readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * The esbuild options every Lambda is bundled with. The CDK stack's NodejsFunction uses the
 * same values, so the size measured here is the size that gets deployed.
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
  // The Lambda Node.js runtime ships AWS SDK v3; bundling it would only add cold-start bytes.
  // dynalite is local mode's database, loaded only there (`await import`), never on Lambda.
  external: ['@aws-sdk/*', 'dynalite'],
  // A CommonJS dependency that calls require() would throw inside an ES module; this gives it one.
  banner: {
    js: "import{createRequire as __turnpikeCreateRequire}from'node:module';const require=__turnpikeCreateRequire(import.meta.url);",
  },
};

export interface LambdaBundleSize {
  /** The Lambda's folder name under lambdas/, e.g. `gateway`. */
  name: string;
  /** The bundle written, relative to the repo root. */
  outfile: string;
  bytes: number;
  /** Where the bytes come from, largest first: an npm package, or a repo folder two levels deep. */
  contributors: BundleContributor[];
}

export interface BundleContributor {
  source: string;
  bytes: number;
}

export interface BundleLambdasOptions {
  /** Only these Lambdas (folder names under lambdas/). @default every lambdas/<name>/handler.ts */
  names?: readonly string[];
  /** Where the bundles go, one folder per Lambda holding index.mjs. @default `<repo>/dist/lambdas` */
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

/** Bundle each Lambda handler to `<outdir>/<name>/index.mjs` and return the minified sizes. */
export async function bundleLambdas(options: BundleLambdasOptions = {}): Promise<LambdaBundleSize[]> {
  const outdir = options.outdir ?? join(REPO_ROOT, 'dist', 'lambdas');
  const sizes: LambdaBundleSize[] = [];
  for (const name of options.names ?? listLambdaNames()) {
    const outfile = join(outdir, name, 'index.mjs');
    const result = await build({
      ...LAMBDA_ESBUILD_OPTIONS,
      entryPoints: [join(REPO_ROOT, 'lambdas', name, 'handler.ts')],
      outfile,
      absWorkingDir: REPO_ROOT,
      logLevel: 'warning',
      metafile: true,
    });
    const inputs = Object.values(result.metafile.outputs).flatMap((output) => Object.entries(output.inputs));
    sizes.push({
      name,
      outfile: relative(REPO_ROOT, outfile),
      bytes: (await stat(outfile)).size,
      contributors: groupContributors(inputs.map(([path, input]) => ({ source: path, bytes: input.bytesInOutput }))),
    });
  }
  return sizes;
}

function groupContributors(inputs: readonly BundleContributor[]): BundleContributor[] {
  const totals = new Map<string, number>();
  for (const input of inputs) {
    // The last node_modules segment names the package even when packages nest.
    const inPackage = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input.source);
    const source = inPackage?.[1] ?? input.source.split('/').slice(0, input.source.startsWith('shared/') ? 3 : 2).join('/');
    totals.set(source, (totals.get(source) ?? 0) + input.bytes);
  }
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
    console.log(`${size.name}: ${size.outfile} ${formatKilobytes(size.bytes)} (${size.bytes} bytes, minified)`);
    for (const contributor of size.contributors.slice(0, 10)) {
      console.log(`  ${formatKilobytes(contributor.bytes).padStart(9)}  ${contributor.source}`);
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
