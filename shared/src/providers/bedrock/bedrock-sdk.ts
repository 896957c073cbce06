/**
 * The AWS SDK pieces the provider uses, loaded on the first Bedrock call rather than at
 * start-up: importing the Bedrock client costs a Lambda cold start hundreds of milliseconds
 * (measured ~0.7 s on the development machine), and most gateways serve other providers too.
 */
export interface BedrockSdk {
  BedrockRuntimeClient: typeof import('@aws-sdk/client-bedrock-runtime').BedrockRuntimeClient;
  ConverseCommand: typeof import('@aws-sdk/client-bedrock-runtime').ConverseCommand;
  ConverseStreamCommand: typeof import('@aws-sdk/client-bedrock-runtime').ConverseStreamCommand;
  InvokeModelCommand: typeof import('@aws-sdk/client-bedrock-runtime').InvokeModelCommand;
  NodeHttpHandler: typeof import('@smithy/node-http-handler').NodeHttpHandler;
}

let loading: Promise<BedrockSdk> | undefined;

/** The SDK modules, imported once per process. */
export function loadBedrockSdk(): Promise<BedrockSdk> {
  loading ??= Promise.all([import('@aws-sdk/client-bedrock-runtime'), import('@smithy/node-http-handler')]).then(
    ([client, http]) => ({
      BedrockRuntimeClient: client.BedrockRuntimeClient,
      ConverseCommand: client.ConverseCommand,
      ConverseStreamCommand: client.ConverseStreamCommand,
      InvokeModelCommand: client.InvokeModelCommand,
      NodeHttpHandler: http.NodeHttpHandler,
    }),
    (error: unknown) => {
      // A failed import (a broken deployment) is retried by the next call, not cached forever.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
