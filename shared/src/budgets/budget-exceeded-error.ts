import { GatewayError } from '../core/gateway-error.ts';

/** A reservation that would cross a budget's hard cap: 429 with code `budget_exceeded`, naming the budget. */
export class BudgetExceededError extends GatewayError {
  readonly budgetId: string;

  constructor(budgetId: string) {
    super(`Budget ${JSON.stringify(budgetId)} is exhausted for this period: the request's worst-case cost would cross its hard cap.`, {
      status: 429,
      type: 'budget_exceeded',
      code: 'budget_exceeded',
      param: budgetId,
      retryable: false,
      headers: { 'x-turnpike-budget-id': budgetId },
    });
    this.budgetId = budgetId;
  }
}
