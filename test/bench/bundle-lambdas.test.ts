import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_ESBUILD_OPTIONS, bundleLambdas, listLambdaNames } from '../../scripts/bundle-lambdas.ts';

const outdir = await mkdtemp(join(tmpdir(), 'turnpike-bundle-test-'));

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe('bundleLambdas', () => {
  it('builds ESM for the Lambda runtime with the AWS SDK left to the runtime and local-only dynalite left out', () => {
    expect(LAMBDA_ESBUILD_OPTIONS).toMatchObject({ format: 'esm', platform: 'node', target: 'node22', minify: true, external: ['@aws-sdk/*', 'dynalite'] });
  });

  it('finds the gateway Lambda', () => {
    expect(listLambdaNames()).toContain('gateway');
  });

  it('writes the gateway bundle and reports its size and where the bytes come from', async () => {
    const [gateway] = await bundleLambdas({ names: ['gateway'], outdir });
    expect(gateway?.name).toBe('gateway');
    const written = await readFile(join(outdir, 'gateway', 'index.mjs'));
    expect(gateway?.bytes).toBe(written.byteLength);
    expect(gateway?.contributors.reduce((sum, contributor) => sum + contributor.bytes, 0)).toBeLessThanOrEqual(written.byteLength);
    expect(gateway?.contributors.map((contributor) => contributor.source)).toContain('shared/src/engine');
    expect(gateway?.contributors.map((contributor) => contributor.source)).not.toContain('dynalite');
    // A CommonJS dependency calling require() must find one inside the ES module.
    expect(written.toString('utf8').startsWith("import{createRequire as __turnpikeCreateRequire}from'node:module'")).toBe(true);
  }, 60_000);
});
