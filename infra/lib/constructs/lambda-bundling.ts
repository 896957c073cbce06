import { fileURLToPath } from 'node:url';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LAMBDA_ESBUILD_OPTIONS } from '../../../scripts/bundle-lambdas.ts';

/** The repository root: NodejsFunction's project root and the base of every Lambda entry path. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The absolute path of `lambdas/<name>/handler.ts`. */
export function lambdaEntry(name: string): string {
  return fileURLToPath(new URL(`../../../lambdas/${name}/handler.ts`, import.meta.url));
}

/**
 * NodejsFunction bundling options derived from the esbuild options `npm run bundle` uses, so the
 * bundle size measured there is the size deployed here. Bundling runs the local esbuild (this
 * machine and CI have no Docker).
 */
export function lambdaBundlingOptions(): BundlingOptions {
  const options = LAMBDA_ESBUILD_OPTIONS;
  const banner = options.banner?.js;
  return {
    target: requireString(options.target, 'target'),
    format: options.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
    minify: options.minify === true,
    sourceMap: options.sourcemap === true,
    mainFields: options.mainFields === undefined ? undefined : [...options.mainFields],
    externalModules: [...(options.external ?? [])],
    ...(banner === undefined ? {} : { banner }),
    ...(options.legalComments === undefined ? {} : { esbuildArgs: { '--legal-comments': options.legalComments } }),
    forceDockerBundling: false,
  };
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new Error(`LAMBDA_ESBUILD_OPTIONS.${name} must be a single string for NodejsFunction.`);
  return value;
}
