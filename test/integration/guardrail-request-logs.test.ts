import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../shared/src/ports/log-store.ts';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.ts';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

let gateway: TestGateway;
let upstream: MockUpstream;
let traceNumber = 0;

const newTrace = (): string => `guardrail-logs-${process.pid}-${++traceNumber}`;

beforeAll(async () => {
  [gateway, upstream] = await Promise.all([startTestGateway({ TURNPIKE_STORE_REQUEST_LOGS: 'true' }), startMockUpstream()]);
  upstream.handle((_request, response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'All good.' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 },
      }),
    ),
  );
});
afterAll(async () => {
  await Promise.all([gateway.close(), upstream.close()]);
});

/** The stored logs of a trace once written; looks once more after the first so a second record would show. */
async function logsOf(traceId: string): Promise<LogEntry[]> {
  const query = () => gateway.runtime.stores.logs.query({ select: { by: 'trace', traceId }, order: 'oldest-first' });
  for (let waited = 0; waited < 200; waited++) {
    await gateway.runtime.requestLog.flush?.();
    if ((await query()).items.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await gateway.runtime.requestLog.flush?.();
      return (await query()).items;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no log for trace ${traceId}`);
}

const config = {
  provider: 'openai',
  api_key: 'sk-guardrail-logs',
  input_guardrails: [
    { id: 'no-secrets', 'default.regexMatch': { rule: 'secret', not: true }, deny: true, on_fail: { feedback: { value: -5, weight: 0.5, metadata: { policy: 'secrets' } } } },
  ],
  output_guardrails: [{ 'default.wordCount': { maxWords: 10 } }],
};

function client(): OpenAI {
  return new OpenAI({
    apiKey: 'unused',
    baseURL: gateway.baseURL,
    maxRetries: 0,
    defaultHeaders: { 'x-portkey-config': JSON.stringify({ ...config, custom_host: `${upstream.origin}/v1` }) },
  });
}

describe('guardrail outcomes in the stored request log', () => {
  it('stores exactly one record for a request a guardrail refused, with 446, its error code and the failed check', async () => {
    const traceId = newTrace();
    const before = upstream.requests.length;
    await expect(
      client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'tell me the secret' }] }, { headers: { 'x-portkey-trace-id': traceId } }),
    ).rejects.toMatchObject({ status: 446 });
    const entries = await logsOf(traceId);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.data).toMatchObject({
      traceId,
      status: 446,
      errorCode: 'hooks_failed',
      errorMessage: 'The guardrail checks defined in the config failed. You can find more information in the `hook_results` object.',
      provider: 'openai',
      guardrails: {
        verdict: 'denied',
        denied: true,
        checks: 1,
        failed: [{ target: 'config', hook: 'input', guardrail: 'no-secrets', check: 'default.regexMatch', deny: true, logOnly: false }],
      },
    });
    expect(entries[0]?.data).not.toHaveProperty('usage');
    expect(upstream.requests.length).toBe(before);
    // The guardrail's on_fail feedback is stored with the trace, as POST /v1/feedback would store it.
    let feedback = await gateway.runtime.stores.logs.listFeedback(traceId);
    for (let waited = 0; feedback.length === 0 && waited < 200; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      feedback = await gateway.runtime.stores.logs.listFeedback(traceId);
    }
    expect(feedback).toEqual([
      expect.objectContaining({
        traceId,
        value: -5,
        weight: 0.5,
        metadata: { policy: 'secrets', successfulChecks: '', failedChecks: 'default.regexMatch', erroredChecks: '' },
      }),
    ]);
  });

  it('stores a passed guardrail as passed, with every check counted', async () => {
    const traceId = newTrace();
    const { response } = await client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'how are you?' }] }, { headers: { 'x-portkey-trace-id': traceId } })
      .withResponse();
    expect(response.status).toBe(200);
    const entries = await logsOf(traceId);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.data).toMatchObject({ status: 200, guardrails: { verdict: 'passed', denied: false, checks: 2, failed: [] } });
    expect(entries[0]?.data).not.toHaveProperty('errorCode');
  });

  it('keeps the usage of an answer an output guardrail refused: the provider did the work', async () => {
    const traceId = newTrace();
    const refusing = { ...config, custom_host: `${upstream.origin}/v1`, input_guardrails: undefined, output_guardrails: [{ 'default.contains': { words: ['good'], operator: 'none' }, deny: true }] };
    const response = await fetch(`${gateway.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-portkey-config': JSON.stringify(refusing), 'x-portkey-trace-id': traceId },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(446);
    const [entry] = await logsOf(traceId);
    expect(entry?.data).toMatchObject({
      status: 446,
      usage: { promptTokens: 4, completionTokens: 2, totalTokens: 6 },
      guardrails: { verdict: 'denied', failed: [expect.objectContaining({ hook: 'output', check: 'default.contains' })] },
    });
  });

  it('shows the verdict in the admin view of a log', async () => {
    const traceId = newTrace();
    await client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a secret?' }] }, { headers: { 'x-portkey-trace-id': traceId } })
      .catch(() => undefined);
    const [entry] = await logsOf(traceId);
    const { presentLogEntry } = await import('../../shared/src/admin/present-log-entry.ts');
    expect(presentLogEntry(entry as LogEntry)).toMatchObject({ status: 446, error_code: 'hooks_failed', guardrails: { verdict: 'denied', denied: true } });
  });
});
