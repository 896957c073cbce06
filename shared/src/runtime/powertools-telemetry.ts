import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';

/** The Powertools instances the AWS runtime logs and emits metrics through. */
export interface PowertoolsTelemetry {
  logger: Logger;
  metrics: Metrics;
}

/** What Powertools' `logger.addContext` reads from a Lambda invocation context. */
export type LambdaInvocationContext = Parameters<Logger['addContext']>[0];

/**
 * Powertools Logger and Metrics, imported on first use. They are about 30 KB of the gateway
 * bundle and nothing needs them before a response has been sent (the request log line and the
 * metrics are written after the last byte), so a cold start does not load them. The handler
 * reports each invocation's Lambda context, which the logger gets once it exists.
 */
export class LazyPowertoolsTelemetry {
  #telemetry: Promise<PowertoolsTelemetry> | undefined;
  #loaded: PowertoolsTelemetry | undefined;
  #context: LambdaInvocationContext | undefined;

  /** The logger and metrics; the first call imports Powertools. */
  get(): Promise<PowertoolsTelemetry> {
    this.#telemetry ??= Promise.all([import('@aws-lambda-powertools/logger'), import('@aws-lambda-powertools/metrics')]).then(([loggerModule, metricsModule]) => {
      // Powertools reads service name, namespace and log level from the environment the stack sets.
      const telemetry = { logger: new loggerModule.Logger(), metrics: new metricsModule.Metrics() };
      if (this.#context !== undefined) telemetry.logger.addContext(this.#context);
      this.#loaded = telemetry;
      return telemetry;
    });
    return this.#telemetry;
  }

  /** Remember the invocation's context so log lines name its request id, as Powertools' injectLambdaContext does. */
  setInvocationContext(context: LambdaInvocationContext): void {
    this.#context = context;
    this.#loaded?.logger.addContext(context);
  }
}
