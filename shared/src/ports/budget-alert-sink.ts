/** A budget crossed its soft threshold; sent once per budget period. */
export interface BudgetAlert {
  budgetId: string;
  unit: 'usd' | 'tokens';
  limit: number;
  softThreshold: number;
  /** The budget's counter when the threshold was crossed. */
  spent: number;
  /** Epoch seconds of the period's start (0 for a budget without period). */
  periodStart: number;
  at: number;
}

/** Where budget alerts go: an EventBridge event on AWS, a log line locally. Must not throw. */
export interface BudgetAlertSink {
  emit(alert: BudgetAlert): Promise<void>;
}
