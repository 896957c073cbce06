/**
 * How the mock provider cuts its answers into stream chunks and counts tokens. Real
 * tokenizers differ by model; these rules only need to be deterministic and plausible.
 */

/** Words with the whitespace before them kept, so joining the pieces gives the text back. */
export function splitIntoWords(text: string): string[] {
  const words = text.match(/\s*\S+/g) ?? [];
  const covered = words.join('').length;
  if (covered < text.length) {
    // Trailing whitespace (or a text of only whitespace) rides on the last piece.
    const rest = text.slice(covered);
    if (words.length === 0) return [rest];
    words[words.length - 1] += rest;
  }
  return words;
}

/**
 * `count` pieces of nearly equal length (fewer when the text is shorter), cut between code
 * points so no character is split in two. Joining the pieces gives the text back.
 */
export function splitIntoPieces(text: string, count: number): string[] {
  const characters = Array.from(text);
  const pieces = Math.min(count, characters.length);
  const result: string[] = [];
  for (let index = 0; index < pieces; index += 1) {
    const start = Math.floor((index * characters.length) / pieces);
    const end = Math.floor(((index + 1) * characters.length) / pieces);
    result.push(characters.slice(start, end).join(''));
  }
  return result;
}

/** One chunk per word by default, or `chunks` pieces when the caller asked for a count. */
export function splitForStream(text: string, chunks: number | undefined): string[] {
  return chunks === undefined ? splitIntoWords(text) : splitIntoPieces(text, chunks);
}

/** The number of whitespace-separated words: the mock's count of completion tokens. */
export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** About four characters per token, as OpenAI's rule of thumb for English says; never zero. */
export function estimatePromptTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}

/** The first `limit` characters (code points) of a text. */
export function firstCharacters(text: string, limit: number): string {
  const characters = Array.from(text);
  return characters.length <= limit ? text : characters.slice(0, limit).join('');
}

/** The text cut to its first `limit` words, and whether anything was cut (finish_reason `length`). */
export function limitWords(text: string, limit: number | undefined): { text: string; truncated: boolean } {
  if (limit === undefined) return { text, truncated: false };
  const words = splitIntoWords(text);
  if (words.length <= limit) return { text, truncated: false };
  return { text: words.slice(0, limit).join(''), truncated: true };
}
