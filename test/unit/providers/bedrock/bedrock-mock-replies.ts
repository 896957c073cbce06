import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import { fixtureChunks, type UpstreamHandler } from '../../../support/mock-upstream.ts';

/**
 * Bedrock as the mock upstream speaks it: ConverseStream answers in AWS event-stream framing,
 * encoded with the codec the SDK itself decodes with, and errors the way Bedrock's REST-JSON
 * protocol sends them (status, `x-amzn-errortype`, `{"message": ...}`).
 */
const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** The AWS request id every mock answer carries; the gateway derives chat ids from it. */
export const MOCK_REQUEST_ID = '5f2d9c1e-7a4b-4c3d-9e8f-0a1b2c3d4e5f';

/**
 * One event-stream message for one fixture line (`{"<eventType>": payload}`). Lines whose key
 * ends in `Exception` become exception messages, as Bedrock sends them mid-stream.
 */
export function eventStreamMessage(line: string): Uint8Array {
  const event = JSON.parse(line) as Record<string, unknown>;
  const [type, payload] = Object.entries(event)[0] ?? ['', {}];
  const isException = type.endsWith('Exception');
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: isException ? 'exception' : 'event' },
      [isException ? ':exception-type' : ':event-type']: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** The event-stream bytes of a `*.chunks.txt` fixture (path below provider-fixtures/). */
export function converseStreamBytes(fixture: string): Buffer {
  return Buffer.concat(fixtureChunks(fixture).map((line) => eventStreamMessage(line)));
}

/** Answer a ConverseStream call with the fixture's events, one write per event. */
export function replyConverseStream(fixture: string): UpstreamHandler {
  const lines = fixtureChunks(fixture);
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': MOCK_REQUEST_ID });
    for (const line of lines) response.write(eventStreamMessage(line));
    response.end();
  };
}

/** Answer a Converse or InvokeModel call with a JSON body. */
export function replyJson(body: string, headers: Record<string, string> = {}): UpstreamHandler {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': MOCK_REQUEST_ID, ...headers });
    response.end(body);
  };
}

/** Answer with a Bedrock exception, as Bedrock's REST-JSON protocol sends one. */
export function replyBedrockError(status: number, exception: string, body: string): UpstreamHandler {
  return (_request, response) => {
    response.writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-requestid': MOCK_REQUEST_ID,
      'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    });
    response.end(body);
  };
}
