/**
 * The arguments of one streamed tool call. Cohere streams `"null"` (or nothing) for a tool
 * that takes no arguments, which OpenAI callers cannot JSON.parse into an object. Text that
 * could still become `null` is held back until it either turns into something else (then it
 * is sent, late by a few characters) or the call ends (then `{}` is sent instead).
 */
export class StreamedToolArguments {
  #held = '';
  #released = false;

  /** Add a piece; returns the text to send now ('' while holding back). */
  append(piece: string): string {
    if (this.#released) return piece;
    this.#held += piece;
    const start = this.#held.trim();
    if (start === '' || 'null'.startsWith(start)) return '';
    this.#released = true;
    const text = this.#held;
    this.#held = '';
    return text;
  }

  /** The call ended; returns the text still to send ('{}' when the arguments were empty or null). */
  end(): string {
    if (this.#released) return '';
    this.#released = true;
    return '{}';
  }
}
