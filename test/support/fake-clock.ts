import type { Clock } from '../../shared/src/ports/clock.ts';

interface Timer {
  at: number;
  callback: () => void;
}

/** A clock that moves only when a test calls `advance`, recording every sleep it was asked for. */
export class FakeClock implements Clock {
  current: number;
  readonly sleeps: number[] = [];
  #timers = new Set<Timer>();

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, callback: () => void): () => void {
    const timer = { at: this.current + ms, callback };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const cancel = this.setTimer(ms, resolve);
      signal?.addEventListener('abort', () => {
        cancel();
        reject(signal.reason);
      }, { once: true });
    });
  }

  /** Move time forward, firing due timers in order (and timers they schedule). */
  async advance(ms: number): Promise<void> {
    const until = this.current + ms;
    for (;;) {
      await Promise.resolve();
      const due = [...this.#timers].filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.#timers.delete(due);
      this.current = due.at;
      due.callback();
      // Let promise chains that the callback resolved run before the next timer.
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    this.current = until;
  }

  /** Clock that sleeps instantly, for tests that only count the requested delays. */
  static instant(): FakeClock {
    const clock = new FakeClock();
    clock.sleep = (ms: number) => {
      clock.sleeps.push(ms);
      clock.current += ms;
      return Promise.resolve();
    };
    return clock;
  }
}
