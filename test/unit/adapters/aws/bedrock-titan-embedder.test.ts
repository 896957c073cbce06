import { BedrockRuntimeClient, InvokeModelCommand, type InvokeModelCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createBedrockTitanEmbedder } from '../../../../shared/src/adapters/aws/bedrock-titan-embedder.ts';

const client = new BedrockRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const bedrock = mockClient(client);
afterEach(() => bedrock.reset());

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function requestBody(input: InvokeModelCommandInput): unknown {
  return JSON.parse(new TextDecoder().decode(input.body as Uint8Array));
}

describe('Bedrock Titan Text Embeddings v2 embedder', () => {
  it('invokes Titan v2 once per text with the chosen dimensions, normalised', async () => {
    bedrock.on(InvokeModelCommand).callsFake((input: InvokeModelCommandInput) => {
      const { inputText } = requestBody(input) as { inputText: string };
      return { body: json({ embedding: [inputText.length, 0.5], inputTextTokenCount: 3 }), contentType: 'application/json' };
    });
    const embedder = createBedrockTitanEmbedder({ client });
    expect(await embedder.embed(['abc', 'hello'])).toEqual([[3, 0.5], [5, 0.5]]);
    const calls = bedrock.commandCalls(InvokeModelCommand);
    expect(calls).toHaveLength(2);
    const first = calls[0]?.args[0].input;
    expect(first).toMatchObject({ modelId: 'amazon.titan-embed-text-v2:0', contentType: 'application/json', accept: 'application/json' });
    expect(requestBody(first as InvokeModelCommandInput)).toEqual({ inputText: 'abc', dimensions: 512, normalize: true });
    expect(embedder.id).toBe('bedrock:amazon.titan-embed-text-v2:0:512');
  });

  it('takes another model and dimension count', async () => {
    bedrock.on(InvokeModelCommand).resolves({ body: json({ embedding: [1] }) } as never);
    const embedder = createBedrockTitanEmbedder({ client, modelId: 'us.amazon.titan-embed-text-v2:0', dimensions: 256 });
    await embedder.embed(['x']);
    const input = bedrock.commandCalls(InvokeModelCommand)[0]?.args[0].input as InvokeModelCommandInput;
    expect(input.modelId).toBe('us.amazon.titan-embed-text-v2:0');
    expect(requestBody(input)).toMatchObject({ dimensions: 256 });
  });

  it('rejects an answer without a vector, and passes Bedrock errors on', async () => {
    bedrock.on(InvokeModelCommand).resolves({ body: json({ message: 'nope' }) } as never);
    await expect(createBedrockTitanEmbedder({ client }).embed(['x'])).rejects.toThrow(/without an embedding/);
    bedrock.on(InvokeModelCommand).rejects(new Error('AccessDeniedException'));
    await expect(createBedrockTitanEmbedder({ client }).embed(['x'])).rejects.toThrow(/AccessDenied/);
  });
});
