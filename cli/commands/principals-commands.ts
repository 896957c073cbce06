import { resourcePath } from '../admin-client.ts';
import { UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command-spec.ts';
import type { Column } from '../output.ts';
import { requiredString, stringOption } from '../option-values.ts';
import { LIST_OPTIONS } from '../option-table.ts';
import { pagingFromOptions } from './paging.ts';
import { ACCESS_OPTIONS, accessFieldsFromOptions, definedFields, withMergedScopes } from './request-fields.ts';

const PRINCIPALS = '/v1/principals';

const PRINCIPAL_COLUMNS: readonly Column[] = [
  { header: 'ID', field: 'id' },
  { header: 'NAME', field: 'name' },
  { header: 'WORKSPACE', field: 'workspace_id' },
  { header: 'ARN PATTERN', field: 'arn_pattern' },
];

export const PRINCIPAL_COMMANDS: readonly CommandSpec[] = [
  {
    resource: 'principals',
    action: 'add',
    summary: 'Let IAM callers whose ARN matches a pattern use the gateway',
    arguments: [],
    options: ['id', 'workspace', 'arn-pattern', ...ACCESS_OPTIONS],
    required: ['id', 'workspace', 'name', 'arn-pattern'],
    notes: [
      'Example: turnpike principals add --id batch-jobs --workspace team-a --name "Batch jobs" --arn-pattern "arn:aws:sts::123456789012:assumed-role/batch-*"',
    ],
    async run({ values, client, output }) {
      const body = definedFields({
        id: requiredString(values, 'id'),
        workspace_id: requiredString(values, 'workspace'),
        arn_pattern: requiredString(values, 'arn-pattern'),
        ...accessFieldsFromOptions(values),
      });
      output.record(await client.send({ method: 'POST', path: PRINCIPALS, body }));
    },
  },
  {
    resource: 'principals',
    action: 'list',
    summary: 'List IAM principals',
    arguments: [],
    options: ['workspace', ...LIST_OPTIONS],
    async run({ values, client, output }) {
      const query = { workspace_id: stringOption(values, 'workspace') };
      output.page(await client.list(PRINCIPALS, query, pagingFromOptions(values)), PRINCIPAL_COLUMNS, 'principals');
    },
  },
  {
    resource: 'principals',
    action: 'get',
    summary: 'Show one IAM principal',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      output.record(await client.send({ method: 'GET', path: resourcePath(PRINCIPALS, id) }));
    },
  },
  {
    resource: 'principals',
    action: 'update',
    summary: 'Change a principal\'s name, ARN pattern, scopes, metadata or limits',
    arguments: ['ID'],
    options: ['arn-pattern', ...ACCESS_OPTIONS],
    notes: ['Scope lists not named keep their current value; --metadata replaces all metadata.'],
    async run({ args: [id = ''], values, client, output }) {
      const fields = definedFields({ arn_pattern: stringOption(values, 'arn-pattern'), ...accessFieldsFromOptions(values, 'update') });
      if (Object.keys(fields).length === 0) throw new UsageError('principals update: give at least one field to change');
      const path = resourcePath(PRINCIPALS, id);
      output.record(await client.send({ method: 'PATCH', path, body: await withMergedScopes(client, path, fields) }));
    },
  },
  {
    resource: 'principals',
    action: 'delete',
    summary: 'Remove an IAM principal',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      await client.send({ method: 'DELETE', path: resourcePath(PRINCIPALS, id) });
      output.message(`Deleted principal ${id}.`);
    },
  },
];
