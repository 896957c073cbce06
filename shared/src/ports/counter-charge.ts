/**
 * One counter a request reserves on before its upstream call and settles after it (budgets and
 * rate limits share this shape, so the engine reserves them all in one parallel batch).
 */
export interface CounterCharge {
  key: string;
  /** What was added before the call. */
  reserved: number;
  /** Epoch seconds: the end of the counter's window or period. */
  expiresAt: number;
  /** What settlement measures: the request itself (never corrected), its tokens, or its USD cost. */
  measure: 'requests' | 'tokens' | 'usd';
  /** The hard cap the reservation must not cross. */
  limit: number;
  /** Whose limit it is, for the refusal: a budget or a rate limit, by id. */
  owner: { kind: 'budget' | 'rate-limit'; id: string };
  /** Budgets only: the fraction of the limit whose crossing alerts once per period, and the period start. */
  softThreshold?: number;
  periodStart?: number;
  /**
   * Budgets only: the hold slot the reservation is also recorded in, so that it can be given
   * back if the request crashes before it settles (see CounterStore).
   */
  holdSlot?: number;
  /**
   * Rate limits only: the named field of the counter item this charge counts in (`requests`,
   * `tokens`). Charges on fields of the same item are reserved and settled together, in one
   * conditional write (`CounterStore.addFields`), so either refusal refuses both. Absent = the
   * counter's own value.
   */
  field?: string;
}
