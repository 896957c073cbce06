import { isJsonObject, type JsonValue } from '../core/json.ts';
import { tapStream } from '../protocol/tap-stream.ts';

/** What a streamed answer said, once the stream is over. */
export interface StreamedText {
  text: string;
  /** The stream reached its end (it was not cancelled or broken) and the text was not cut. */
  complete: boolean;
}

/** Longest SSE line kept while waiting for its end; a longer one stops the collection. */
const MAX_LINE_CHARACTERS = 8 * 1024 * 1024;

/**
 * The text one SSE event adds to the answer's first choice: OpenAI chat (`choices[].delta.content`),
 * completions (`choices[].text`), or Anthropic Messages (`content_block_delta` with `text_delta`).
 */
function eventText(payload: JsonValue): string {
  if (!isJsonObject(payload)) return '';
  if (Array.isArray(payload.choices)) {
    let text = '';
    for (const choice of payload.choices) {
      if (!isJsonObject(choice) || (choice.index !== undefined && choice.index !== 0)) continue;
      if (typeof choice.text === 'string') text += choice.text;
      else if (isJsonObject(choice.delta) && typeof choice.delta.content === 'string') text += choice.delta.content;
    }
    return text;
  }
  if (payload.type === 'content_block_delta' && isJsonObject(payload.delta) && typeof payload.delta.text === 'string') return payload.delta.text;
  return '';
}

/**
 * Pass a streamed answer (SSE bytes) through unchanged while collecting its text, for output
 * guardrails that can only judge a stream after its end. Pull-based with no buffer of its own
 * (`highWaterMark: 0`), so no chunk waits and a cancel goes straight to the source. At most
 * `maxCharacters` are kept. `collected` settles when the stream ends, fails or is cancelled.
 */
export function collectStreamedText(
  source: ReadableStream<Uint8Array>,
  maxCharacters: number,
): { body: ReadableStream<Uint8Array>; collected: Promise<StreamedText> } {
  const decoder = new TextDecoder();
  let pending = '';
  let text = '';
  let cut = false;
  let settle: (streamed: StreamedText) => void = () => undefined;
  const collected = new Promise<StreamedText>((resolve) => {
    settle = resolve;
  });

  function take(characters: string): void {
    if (cut) return;
    pending += characters;
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      if (line.startsWith('data:')) {
        const data = line.slice(5).trim();
        if (data !== '' && data !== '[DONE]') {
          try {
            text += eventText(JSON.parse(data) as JsonValue);
          } catch {
            // Not JSON (a comment, a keep-alive): nothing to add.
          }
        }
      }
      newline = pending.indexOf('\n');
    }
    if (text.length > maxCharacters || pending.length > MAX_LINE_CHARACTERS) {
      text = text.slice(0, maxCharacters);
      cut = true;
    }
  }

  const body = tapStream(source, {
    onChunk: (chunk) => take(decoder.decode(chunk, { stream: true })),
    onEnd(complete) {
      if (complete) take(`${decoder.decode()}\n`);
      settle({ text, complete: complete && !cut });
    },
  });
  return { body, collected };
}
