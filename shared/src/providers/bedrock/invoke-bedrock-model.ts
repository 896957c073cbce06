import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { BadGatewayError } from '../../core/gateway-error.ts';
import type { JsonObject, JsonValue } from '../../core/json.ts';
import { mapBedrockSdkError } from './bedrock-errors.ts';
import { loadBedrockSdk } from './bedrock-sdk.ts';

/** Bedrock reports the input token count of every InvokeModel call in this response header. */
const INPUT_TOKEN_COUNT_HEADER = 'x-amzn-bedrock-input-token-count';

function readHeader(response: unknown, name: string): string | undefined {
  if (typeof response !== 'object' || response === null || !('headers' in response)) return undefined;
  const headers = response.headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value: unknown = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * One InvokeModel call with a JSON body and a JSON answer. The SDK does not expose response
 * headers, so a deserialize-step middleware on this one command reads the token count.
 */
export async function invokeBedrockModel(
  client: BedrockRuntimeClient,
  modelId: string,
  body: JsonObject,
  signal: AbortSignal,
): Promise<{ json: JsonValue; inputTokenCount: number | undefined }> {
  const { InvokeModelCommand } = await loadBedrockSdk();
  const command = new InvokeModelCommand({
    modelId,
    contentType: 'application/json',
    accept: 'application/json',
    body: new TextEncoder().encode(JSON.stringify(body)),
  });
  let inputTokenCount: number | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const count = Number(readHeader(result.response, INPUT_TOKEN_COUNT_HEADER));
      if (Number.isInteger(count) && count >= 0) inputTokenCount = count;
      return result;
    },
    { step: 'deserialize', name: 'turnpikeReadInputTokenCount' },
  );
  let bytes: Uint8Array | undefined;
  try {
    bytes = (await client.send(command, { abortSignal: signal })).body;
  } catch (error) {
    throw mapBedrockSdkError(error, signal);
  }
  try {
    return { json: JSON.parse(new TextDecoder().decode(bytes)) as JsonValue, inputTokenCount };
  } catch (cause) {
    throw new BadGatewayError('Bedrock answered with a body that is not valid JSON.', 'invalid_upstream_response', cause);
  }
}
