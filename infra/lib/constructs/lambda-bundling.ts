import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import { LAMBDA_ENTRY_FILE, lambdaBuildOptions } from '../../../scripts/bundle-lambdas.ts';

/** The repository root: the asset's source folder and the base of every Lambda entry path. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The functions' `handler` property: the `handler` export of the bundle's entry file. */
export const LAMBDA_HANDLER = `${LAMBDA_ENTRY_FILE.replace(/\.mjs$/, '')}.handler`;

/** Bundles one Lambda with the local esbuild, in the CDK process. */
class EsbuildLocalBundling implements ILocalBundling {
  // A field, not only a closure: CDK keys its asset staging cache on the bundling options' JSON,
  // and this is what tells two Lambdas' bundles apart there.
  constructor(readonly lambdaName: string) {}

  tryBundle(outputDir: string): boolean {
    // CDK hands over a fresh folder; clearing it only guards against leftovers of a failed try.
    rmSync(outputDir, { recursive: true, force: true });
    buildSync({ ...lambdaBuildOptions(this.lambdaName, outputDir), logLevel: 'warning' });
    return true;
  }
}

/**
 * The code of `lambdas/<name>/handler.ts`, bundled at synth time by the local esbuild with the
 * options `npm run bundle` measures (scripts/bundle-lambdas.ts), so the size measured there is
 * the size deployed here. The bundle is split: `index.mjs` holds what every cold start runs and
 * `chunks/` what is imported on first use (native providers, /v1/messages, config validation).
 * NodejsFunction writes a single file, hence a plain asset with local bundling; this machine and
 * CI have no Docker, and local bundling never falls back to it.
 *
 * With bundling skipped (the `aws:cdk:bundling-stacks` context the template tests set), CDK
 * stages nothing and hashes the asset by construct path, so those tests stay fast.
 */
export function lambdaCode(name: string): Code {
  return Code.fromAsset(REPO_ROOT, {
    // Hashed from the bundle, not from the repo folder it is built from (node_modules and all).
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never pulled: tryBundle always bundles, so Docker is never asked.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
      local: new EsbuildLocalBundling(name),
    },
  });
}
