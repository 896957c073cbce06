import type { CommandSpec } from '../command-spec.ts';
import { UsageError } from '../cli-error.ts';
import type { Column } from '../output.ts';
import { isoDateOption, stringOption } from '../option-values.ts';

const ANALYTICS_COLUMNS: readonly Column[] = [
  { header: 'WINDOW', field: 'window_start', date: true },
  { header: 'REQUESTS', field: 'requests' },
  { header: 'ERRORS', field: 'errors' },
  { header: 'PROMPT', field: 'prompt_tokens' },
  { header: 'COMPLETION', field: 'completion_tokens' },
  { header: 'CACHED', field: 'cached_tokens' },
  { header: 'CACHE HITS', field: 'cache_hits' },
  { header: 'COST', field: 'cost' },
  { header: 'AVG MS', field: 'latency_avg_ms' },
  { header: 'P50', field: 'latency_p50_ms' },
  { header: 'P90', field: 'latency_p90_ms' },
  { header: 'P99', field: 'latency_p99_ms' },
];

export const ANALYTICS_COMMANDS: readonly CommandSpec[] = [
  {
    resource: 'analytics',
    action: '',
    summary: 'Show request rollups per hour or day',
    arguments: [],
    options: ['granularity', 'from', 'to', 'workspace', 'key', 'provider', 'model'],
    notes: [
      'Defaults: hours over the last 24 hours, days over the last 30 days. Rollups are written by the',
      'analytics function on its schedule, so the current window may not be there yet.',
      'Percentiles are shown for one filter at most (several filters sum finer rollups).',
    ],
    async run({ values, client, output }) {
      const granularity = stringOption(values, 'granularity');
      if (granularity !== undefined && granularity !== 'hour' && granularity !== 'day') {
        throw new UsageError(`--granularity must be "hour" or "day", got "${granularity}"`);
      }
      const answer = await client.send({
        method: 'GET',
        path: '/v1/analytics',
        query: {
          granularity,
          from: isoDateOption(values, 'from'),
          to: isoDateOption(values, 'to'),
          workspace_id: stringOption(values, 'workspace'),
          api_key_id: stringOption(values, 'key'),
          provider: stringOption(values, 'provider'),
          model: stringOption(values, 'model'),
        },
      });
      if (output.json) return output.jsonBlock(answer);
      const data = typeof answer === 'object' && answer !== null && Array.isArray((answer as { data?: unknown }).data) ? (answer as { data: unknown[] }).data : [];
      output.page({ data, next_cursor: null }, ANALYTICS_COLUMNS, 'rollups in this range');
    },
  },
];
