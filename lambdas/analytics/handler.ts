import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { type AnalyticsRunPlan, type ScheduledEvent, planAnalyticsRun } from '@turnpike/shared/engine/plan-analytics-run';
import { readAnalyticsOptions } from '@turnpike/shared/runtime/read-analytics-options';

// Service name and log level come from POWERTOOLS_* variables the stack sets.
const logger = new Logger();
const options = readAnalyticsOptions(process.env);

/**
 * The scheduled analytics run. Today it works out the window of request logs the run covers
 * and logs it as one structured `analytics run` line, so the schedule can be watched end to
 * end; rolling the Logs table up into the Counters table comes with the observability issue.
 */
export const handler = middy<ScheduledEvent, AnalyticsRunPlan>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const plan = planAnalyticsRun(event, options.windowMinutes);
    logger.info('analytics run', { ...plan });
    return plan;
  });
