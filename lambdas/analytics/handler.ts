import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { type AnalyticsRunReport, type ScheduledEvent, runScheduledAnalytics } from '@turnpike/shared/engine/plan-analytics-run';
import { createAnalyticsRuntime } from '@turnpike/shared/runtime/analytics-runtime';
import { readAnalyticsOptions } from '@turnpike/shared/runtime/read-analytics-options';

// Service name and log level come from POWERTOOLS_* variables the stack sets.
const logger = new Logger();
const options = readAnalyticsOptions(process.env);
const runtime = createAnalyticsRuntime(process.env);

/**
 * The scheduled analytics run: rolls the Logs table up into the Counters table for the
 * window of the event (idempotent, resumable from its checkpoint) and logs one structured
 * `analytics run` line with what it computed. A failure throws, so EventBridge retries it.
 */
export const handler = middy<ScheduledEvent, AnalyticsRunReport>()
  .use(injectLambdaContext(logger))
  .handler(async (event, context) => {
    const report = await runScheduledAnalytics(event, runtime, {
      windowMinutes: options.windowMinutes,
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
    logger.info('analytics run', { ...report });
    return report;
  });
