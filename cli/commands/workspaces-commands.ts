import { resourcePath } from '../admin-client.ts';
import { UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command-spec.ts';
import type { Column } from '../output.ts';
import { keyValueOption, requiredString, stringOption } from '../option-values.ts';
import { LIST_OPTIONS } from '../option-table.ts';
import { pagingFromOptions } from './paging.ts';
import { definedFields } from './request-fields.ts';

const WORKSPACES = '/v1/workspaces';

const WORKSPACE_COLUMNS: readonly Column[] = [
  { header: 'ID', field: 'id' },
  { header: 'NAME', field: 'name' },
  { header: 'METADATA', field: 'metadata' },
  { header: 'CREATED', field: 'created_at', date: true },
];

export const WORKSPACE_COMMANDS: readonly CommandSpec[] = [
  {
    resource: 'workspaces',
    action: 'create',
    summary: 'Create a workspace (keys, virtual keys and principals belong to one)',
    arguments: [],
    options: ['id', 'name', 'metadata'],
    required: ['id', 'name'],
    async run({ values, client, output }) {
      const body = definedFields({
        id: requiredString(values, 'id'),
        name: requiredString(values, 'name'),
        metadata: keyValueOption(values, 'metadata'),
      });
      output.record(await client.send({ method: 'POST', path: WORKSPACES, body }));
    },
  },
  {
    resource: 'workspaces',
    action: 'list',
    summary: 'List workspaces',
    arguments: [],
    options: [...LIST_OPTIONS],
    async run({ values, client, output }) {
      output.page(await client.list(WORKSPACES, {}, pagingFromOptions(values)), WORKSPACE_COLUMNS, 'workspaces');
    },
  },
  {
    resource: 'workspaces',
    action: 'get',
    summary: 'Show one workspace',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      output.record(await client.send({ method: 'GET', path: resourcePath(WORKSPACES, id) }));
    },
  },
  {
    resource: 'workspaces',
    action: 'update',
    summary: 'Rename a workspace or replace its metadata',
    arguments: ['ID'],
    options: ['name', 'metadata'],
    async run({ args: [id = ''], values, client, output }) {
      const body = definedFields({ name: stringOption(values, 'name'), metadata: keyValueOption(values, 'metadata') });
      if (Object.keys(body).length === 0) throw new UsageError('workspaces update: give --name or --metadata');
      output.record(await client.send({ method: 'PATCH', path: resourcePath(WORKSPACES, id), body }));
    },
  },
  {
    resource: 'workspaces',
    action: 'delete',
    summary: 'Delete an empty workspace (refused while keys, virtual keys or principals use it)',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      await client.send({ method: 'DELETE', path: resourcePath(WORKSPACES, id) });
      output.message(`Deleted workspace ${id}.`);
    },
  },
];
