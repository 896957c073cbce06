import type { CommandSpec } from '../command-spec.ts';
import type { Column } from '../output.ts';
import { stringOption } from '../option-values.ts';
import { LIST_OPTIONS } from '../option-table.ts';
import { pagingFromOptions } from './paging.ts';

const AUDIT_COLUMNS: readonly Column[] = [
  { header: 'AT', field: 'at', date: true },
  { header: 'ACTOR', field: 'actor' },
  { header: 'ACTION', field: 'action' },
  { header: 'KIND', field: 'resource_kind' },
  { header: 'RESOURCE', field: 'resource_id' },
];

export const AUDIT_COMMANDS: readonly CommandSpec[] = [
  {
    resource: 'audit',
    action: 'list',
    summary: 'Show who changed what, newest first',
    arguments: [],
    options: ['resource-kind', 'resource-id', ...LIST_OPTIONS],
    async run({ values, client, output }) {
      const query = {
        resource_kind: stringOption(values, 'resource-kind'),
        resource_id: stringOption(values, 'resource-id'),
      };
      output.page(await client.list('/v1/audit', query, pagingFromOptions(values)), AUDIT_COLUMNS, 'audit records');
    },
  },
];
