import OpenAI from 'openai';
import { Portkey } from 'portkey-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/src/adapters/node/system-clock.ts';
import { savedGuardrailData } from '../../shared/src/guardrails/saved-guardrail-record.ts';
import { createAccessRepository } from '../../shared/src/keys/access-repository.ts';
import { type MockUpstream, sseFrames, startMockUpstream } from '../support/mock-upstream.ts';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

let gateway: TestGateway;
let primary: MockUpstream;
let secondary: MockUpstream;

beforeAll(async () => {
  [gateway, primary, secondary] = await Promise.all([startTestGateway(), startMockUpstream(), startMockUpstream()]);
  const saved = { name: 'No secrets', checks: [{ id: 'default.regexMatch', parameters: { rule: 'secret', not: true } }], actions: { deny: true } };
  await gateway.runtime.stores.control.putIfAbsent({
    kind: 'guardrail',
    id: 'no-secrets',
    data: savedGuardrailData({ id: 'no-secrets', ...saved, createdAt: 1, updatedAt: 1 }),
  });
});
afterAll(async () => {
  await Promise.all([gateway.close(), primary.close(), secondary.close()]);
});
beforeEach(() => {
  primary.reset();
  secondary.reset();
  gateway.records.length = 0;
});

function completion(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-guard',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  });
}

const answers = (upstream: MockUpstream, ...contents: string[]): void => {
  let call = 0;
  upstream.handle((_request, response) => {
    const content = contents[Math.min(call, contents.length - 1)] ?? '';
    call += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(completion(content));
  });
};

function target(upstream: MockUpstream, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { provider: 'openai', api_key: 'sk-config', custom_host: `${upstream.origin}/v1`, ...extra };
}

function clientWith(config: Record<string, unknown>): OpenAI {
  return new OpenAI({ apiKey: 'unused', baseURL: gateway.baseURL, maxRetries: 0, defaultHeaders: { 'x-portkey-config': JSON.stringify(config) } });
}

const ask = (client: OpenAI, content = 'Tell me about the weather.') =>
  client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }).withResponse();

/** The raw answer to a chat request with `config`: the SDK keeps only `error` of an error body, not `hook_results`. */
async function rawAsk(config: Record<string, unknown>, content: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-portkey-config': JSON.stringify(config) },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** What one answer of `completion()` costs, as the log records it for a request with no guardrails. */
async function oneAnswerCost(): Promise<number> {
  gateway.records.length = 0;
  answers(secondary, 'Plain.');
  await ask(clientWith(target(secondary)));
  const [record] = await gateway.waitForRecords(1);
  return record?.cost ?? Number.NaN;
}

type HookResultsBody = { hook_results: { before_request_hooks: Array<Record<string, unknown>>; after_request_hooks: Array<Record<string, unknown>> } };

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

const noSecretsInput = { 'default.regexMatch': { rule: 'secret', not: true }, deny: true };
const noPasswordsOutput = { 'default.contains': { operator: 'none', words: ['password'] }, deny: true };

describe('input guardrails through the openai SDK', () => {
  it('refuses a request an input guardrail denies with 446, hook_results, and no upstream call', async () => {
    answers(primary, 'never sent');
    const error = await failure(ask(clientWith({ ...target(primary), input_guardrails: [noSecretsInput] }), 'What is the secret code?'));
    expect(error.status).toBe(446);
    expect(error.type).toBe('hooks_failed');
    expect(error.code).toBeNull();
    expect(error.message).toContain('The guardrail checks defined in the config failed');
    expect(primary.requests).toHaveLength(0);
    expect(await gateway.waitForRecords(1)).toEqual([
      expect.objectContaining({ status: 446, errorCode: 'hooks_failed', guardrails: expect.objectContaining({ verdict: 'denied', denied: true }) }),
    ]);

    const { status, body: raw } = await rawAsk({ ...target(primary), input_guardrails: [noSecretsInput] }, 'What is the secret code?');
    expect(status).toBe(446);
    const body = raw as unknown as HookResultsBody & { error: unknown };
    expect(body.error).toEqual({
      message: 'The guardrail checks defined in the config failed. You can find more information in the `hook_results` object.',
      type: 'hooks_failed',
      param: null,
      code: null,
    });
    expect(body.hook_results.after_request_hooks).toEqual([]);
    expect(body.hook_results.before_request_hooks).toEqual([
      expect.objectContaining({
        verdict: false,
        deny: true,
        type: 'guardrail',
        async: false,
        id: 'config.input_guardrails[0]',
        checks: [expect.objectContaining({ id: 'default.regexMatch', verdict: false, error: null, data: expect.objectContaining({ not: true, matchedText: 'secret' }) })],
      }),
    ]);
    expect(primary.requests).toHaveLength(0);
  });

  it('lets a request through with 200 and hook_results when every check passes', async () => {
    answers(primary, 'It is sunny.');
    const { data, response } = await ask(clientWith({ ...target(primary), input_guardrails: [noSecretsInput] }));
    expect(response.status).toBe(200);
    expect(data.choices[0]?.message.content).toBe('It is sunny.');
    const hookResults = (data as unknown as { hook_results: { before_request_hooks: Array<{ verdict: boolean }> } }).hook_results;
    expect(hookResults.before_request_hooks.map((result) => result.verdict)).toEqual([true]);
    expect(primary.requests).toHaveLength(1);
  });

  it('answers 246 with hook_results when a check fails without deny, and the answer still comes', async () => {
    answers(primary, 'It is sunny.');
    const config = { ...target(primary), input_guardrails: [{ 'default.wordCount': { minWords: 10 } }] };
    const { data, response } = await ask(clientWith(config), 'Short question?');
    expect(response.status).toBe(246);
    expect(data.choices[0]?.message.content).toBe('It is sunny.');
    const hookResults = (data as unknown as { hook_results: { before_request_hooks: Array<{ verdict: boolean; deny: boolean }> } }).hook_results;
    expect(hookResults.before_request_hooks).toEqual([expect.objectContaining({ verdict: false, deny: false })]);
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ status: 246, guardrails: { verdict: 'failed', denied: false, failed: [expect.objectContaining({ check: 'default.wordCount', hook: 'input' })] } });
  });

  it('runs a saved guardrail named by id', async () => {
    answers(primary, 'fine');
    const { status, body } = await rawAsk({ ...target(primary), input_guardrails: ['no-secrets'] }, 'the secret is 42');
    expect(status).toBe(446);
    expect((body as unknown as HookResultsBody).hook_results.before_request_hooks[0]?.id).toBe('no-secrets');
    expect(primary.requests).toHaveLength(0);
    const { response } = await ask(clientWith({ ...target(primary), before_request_hooks: [{ id: 'no-secrets' }] }), 'nothing to hide');
    expect(response.status).toBe(200);
  });

  it("does not let a caller of another workspace use a workspace's saved guardrail", async () => {
    answers(primary, 'fine');
    const { control } = gateway.runtime.stores;
    const team = { name: 'Team A only', checks: [{ id: 'default.notNull' }], actions: {}, workspaceId: 'team-a', createdAt: 1, updatedAt: 1 };
    await control.putIfAbsent({ kind: 'guardrail', id: 'team-a-guard', data: savedGuardrailData({ id: 'team-a-guard', ...team }) });
    const access = createAccessRepository(control, gateway.runtime.keyVault, systemClock);
    const keyOf = async (workspaceId: string) => (await access.createApiKey({ workspaceId, name: `${workspaceId} key` })).secret;
    const [teamA, teamB] = await Promise.all([keyOf('team-a'), keyOf('team-b')]);
    const config = { ...target(primary), input_guardrails: ['team-a-guard'] };
    const keyed = (secret: string) =>
      new OpenAI({ apiKey: 'unused', baseURL: gateway.baseURL, maxRetries: 0, defaultHeaders: { 'x-portkey-config': JSON.stringify(config), 'x-portkey-api-key': secret } });
    expect((await ask(keyed(teamA))).response.status).toBe(200);
    const error = await failure(ask(keyed(teamB)));
    expect(error.status).toBe(400);
    expect(error.message).toContain('Saved guardrail "team-a-guard" was not found');
  });

  it('refuses a Config naming a saved guardrail that does not exist, with its path', async () => {
    const error = await failure(ask(clientWith({ ...target(primary), targets: undefined, input_guardrails: ['no-secrets', 'missing-one'] })));
    expect(error.status).toBe(400);
    expect(error.param).toBe('config.input_guardrails[1]');
    expect(error.message).toContain('Saved guardrail "missing-one" was not found');
  });

  it('refuses a check it cannot run with a 400 that names the path and says why', async () => {
    const error = await failure(ask(clientWith({ ...target(primary), input_guardrails: [{ 'aporia.validateProject': { projectID: 'p' }, deny: true }] })));
    expect(error.status).toBe(400);
    expect(error.param).toBe('config.input_guardrails[0]["aporia.validateProject"]');
    expect(error.message).toContain('partner and hosted checks');
  });
});

describe('output guardrails through the openai SDK', () => {
  it('refuses an answer an output guardrail denies with 446 and hook_results', async () => {
    answers(primary, 'Your password is hunter2.');
    const error = await failure(ask(clientWith({ ...target(primary), output_guardrails: [noPasswordsOutput] })));
    expect(error.status).toBe(446);
    expect(error.type).toBe('hooks_failed');
    const { status, body } = await rawAsk({ ...target(primary), output_guardrails: [noPasswordsOutput] }, 'Tell me');
    expect(status).toBe(446);
    const hookResults = (body as unknown as HookResultsBody).hook_results;
    expect(hookResults.before_request_hooks).toEqual([]);
    expect(hookResults.after_request_hooks.map((result) => result.verdict)).toEqual([false]);
    expect(primary.requests).toHaveLength(2);
  });

  it('falls back to the second target when the first answer is denied and on_status_codes holds 446', async () => {
    answers(primary, 'Your password is hunter2.');
    answers(secondary, 'I cannot share that.');
    const config = { strategy: { mode: 'fallback', on_status_codes: [446] }, output_guardrails: [noPasswordsOutput], targets: [target(primary), target(secondary)] };
    const { data, response } = await ask(clientWith(config));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-portkey-last-used-option-index')).toBe('config.targets[1]');
    expect(data.choices[0]?.message.content).toBe('I cannot share that.');
    const [record] = await gateway.waitForRecords(1);
    expect(record?.guardrails).toMatchObject({
      verdict: 'passed',
      denied: false,
      failed: [{ target: 'config.targets[0]', hook: 'output', check: 'default.contains', deny: true, logOnly: false }],
    });
    // The refused answer was produced all the same: the request costs both.
    expect(record?.cost).toBeGreaterThan(0);
    expect(record?.cost).toBeCloseTo(2 * (await oneAnswerCost()), 12);
  });

  it('retries the target when the answer is denied and retry.on_status_codes holds 446', async () => {
    answers(primary, 'Your password is hunter2.', 'No.');
    const config = { ...target(primary), retry: { attempts: 2, on_status_codes: [446] }, output_guardrails: [noPasswordsOutput] };
    const { data, response } = await ask(clientWith(config));
    expect(data.choices[0]?.message.content).toBe('No.');
    expect(response.headers.get('x-portkey-retry-attempt-count')).toBe('1');
    expect(primary.requests).toHaveLength(2);
    // The answer delivered passed; the refused first attempt stays in the log's list.
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ status: 200, retryAttempts: 1, guardrails: { verdict: 'passed', denied: false, failed: [expect.objectContaining({ hook: 'output', deny: true })] } });
    expect(record?.cost).toBeCloseTo(2 * (await oneAnswerCost()), 12);
  });

  it('falls back on a flagged answer (246) when on_status_codes holds 246, and returns the last 246 otherwise', async () => {
    answers(primary, 'Too short');
    answers(secondary, 'This answer is long enough to pass.');
    const lengthCheck = [{ 'default.wordCount': { minWords: 4 } }];
    const fallback = { strategy: { mode: 'fallback', on_status_codes: [246] }, output_guardrails: lengthCheck, targets: [target(primary), target(secondary)] };
    const passed = await ask(clientWith(fallback));
    expect(passed.response.status).toBe(200);
    expect(passed.data.choices[0]?.message.content).toBe('This answer is long enough to pass.');
    answers(secondary, 'Also short');
    const flagged = await ask(clientWith(fallback));
    expect(flagged.response.status).toBe(246);
    expect(flagged.data.choices[0]?.message.content).toBe('Also short');
    const plain = await ask(clientWith({ ...fallback, strategy: { mode: 'fallback' } }));
    expect(plain.response.status).toBe(246);
    expect(plain.response.headers.get('x-portkey-last-used-option-index')).toBe('config.targets[0]');
  });

  it('judges a cached answer again with the output guardrails of the request', async () => {
    answers(primary, 'The password is swordfish.');
    const cached = { ...target(primary), cache: { mode: 'simple' } };
    const first = await ask(clientWith(cached), 'cache me please');
    expect(first.response.status).toBe(200);
    await gateway.waitForRecords(1);
    const error = await failure(ask(clientWith({ ...cached, output_guardrails: [noPasswordsOutput] }), 'cache me please'));
    expect(error.status).toBe(446);
    expect(primary.requests).toHaveLength(1);
  });
});

describe('guardrails on other endpoints', () => {
  it('checks the input of an embedding request and has no output to judge', async () => {
    primary.handle((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1] }], model: 'e', usage: { prompt_tokens: 1, total_tokens: 1 } })),
    );
    const client = clientWith({ ...target(primary), input_guardrails: [noSecretsInput], output_guardrails: [noPasswordsOutput] });
    expect((await failure(client.embeddings.create({ model: 'text-embedding-3-small', input: ['fine', 'a secret'] }))).status).toBe(446);
    const { response } = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'password policy' }).withResponse();
    expect(response.status).toBe(200);
    expect(primary.requests).toHaveLength(1);
  });

  it('checks the last message of an Anthropic Messages request and the answer it gets', async () => {
    answers(primary, 'Your password is hunter2.');
    const post = (content: string) =>
      fetch(`${gateway.baseURL}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-portkey-config': JSON.stringify({ ...target(primary), input_guardrails: [noSecretsInput], output_guardrails: [noPasswordsOutput] }) },
        body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content }] }),
      });
    const refusedInput = await post('the secret');
    expect(refusedInput.status).toBe(446);
    expect(await refusedInput.json()).toMatchObject({ type: 'error', error: { message: expect.stringContaining('guardrail checks') } });
    expect(primary.requests).toHaveLength(0);
    expect((await post('hello')).status).toBe(446);
    expect(primary.requests).toHaveLength(1);
  });

  it('skips guardrails on endpoints they do not apply to and logs that', async () => {
    primary.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ created: 1, data: [{ url: 'https://x' }] })));
    const client = clientWith({ ...target(primary), input_guardrails: [noSecretsInput] });
    const { response } = await client.images.generate({ model: 'dall-e-3', prompt: 'a secret garden' }).withResponse();
    expect(response.status).toBe(200);
    const [record] = await gateway.waitForRecords(1);
    expect(record?.guardrails).toEqual({ verdict: 'skipped', denied: false, checks: 0, failed: [] });
  });
});

describe('guardrails and streams', () => {
  const streamOf = (upstream: MockUpstream, text: string): void =>
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (content: string) => JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
      response.end(sseFrames([chunk(text.slice(0, 5)), chunk(text.slice(5))]));
    });

  it('refuses a streamed request whose output guardrail denies, before calling the provider', async () => {
    streamOf(primary, 'Your password is hunter2.');
    const error = await failure(
      clientWith({ ...target(primary), output_guardrails: [noPasswordsOutput] }).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
      }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('guardrail_requires_complete_answer');
    expect(error.param).toBe('config.output_guardrails[0]');
    expect(primary.requests).toHaveLength(0);
  });

  it('refuses a stream an input guardrail denies before it starts, and flags one it only fails with 246', async () => {
    streamOf(primary, 'Hello there, friend.');
    const create = (config: Record<string, unknown>, content: string) =>
      clientWith({ ...target(primary), ...config }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], stream: true });
    expect((await failure(create({ input_guardrails: [noSecretsInput] }, 'my secret'))).status).toBe(446);
    expect(primary.requests).toHaveLength(0);
    const { data: stream, response } = await create({ input_guardrails: [{ 'default.wordCount': { minWords: 5 } }] }, 'Hi').withResponse();
    expect(response.status).toBe(246);
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello there, friend.');
  });

  it('streams with a logging output guardrail and records its verdict after the last chunk', async () => {
    streamOf(primary, 'Your password is hunter2.');
    const config = { ...target(primary), output_guardrails: [{ 'default.contains': { operator: 'none', words: ['password'] } }] };
    const stream = await clientWith(config).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Your password is hunter2.');
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ status: 200, guardrails: { verdict: 'failed', failed: [expect.objectContaining({ hook: 'output', logOnly: true })] } });
  });
});

describe('guardrails through the portkey-ai SDK', () => {
  const portkeyWith = (config: Record<string, unknown>) => new Portkey({ baseURL: gateway.baseURL, apiKey: 'pk-ignored-locally', config });

  it('gets a 446 for a denied input and never reaches the provider', async () => {
    answers(primary, 'never sent');
    const error = await portkeyWith({ ...target(primary), input_guardrails: [noSecretsInput] })
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'secret plans' }] })
      .then(
        () => undefined,
        (caught: unknown) => caught as { status?: number },
      );
    expect(error?.status).toBe(446);
    expect(primary.requests).toHaveLength(0);
  });

  it('gets the answer with hook_results for a flagged output', async () => {
    answers(primary, 'HELLO THERE');
    const answer = await portkeyWith({ ...target(primary), output_guardrails: [{ 'default.alllowercase': {} }] }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'greet me' }],
    });
    expect(answer.choices[0]?.message?.content).toBe('HELLO THERE');
    const hookResults = (answer as unknown as { hook_results: { after_request_hooks: Array<{ verdict: boolean }> } }).hook_results;
    expect(hookResults.after_request_hooks.map((result) => result.verdict)).toEqual([false]);
    const [record] = await gateway.waitForRecords(1);
    expect(record?.status).toBe(246);
  });
});
