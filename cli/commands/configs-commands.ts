import { resourcePath } from '../admin-client.ts';
import type { CommandSpec } from '../command-spec.ts';
import { asRecord, type Column, type Output } from '../output.ts';
import { integerOption, requiredString, stringOption } from '../option-values.ts';
import { LIST_OPTIONS } from '../option-table.ts';
import { readJsonObjectFile } from '../read-json-object-file.ts';
import { pagingFromOptions } from './paging.ts';
import { definedFields } from './request-fields.ts';

const CONFIGS = '/v1/configs';
const MAX_VERSION = 999_999;

const CONFIG_COLUMNS: readonly Column[] = [
  { header: 'ID', field: 'id' },
  { header: 'WORKSPACE', field: 'workspace_id' },
  { header: 'VERSION', field: 'current_version' },
  { header: 'LATEST', field: 'latest_version' },
];

const VERSION_COLUMNS: readonly Column[] = [
  { header: 'VERSION', field: 'version' },
  { header: 'CURRENT', field: 'current' },
  { header: 'CREATED', field: 'created_at', date: true },
];

/** A saved config: its bookkeeping as `field  value` lines, then the Config object as JSON. */
function printConfig(output: Output, answer: unknown): void {
  if (output.json) return output.record(answer);
  const { config, ...details } = asRecord(answer);
  output.record(details);
  if (config !== undefined) {
    output.message('config');
    output.jsonBlock(config);
  }
}

export const CONFIG_COMMANDS: readonly CommandSpec[] = [
  {
    resource: 'configs',
    action: 'put',
    summary: 'Save a Config object as the next version of config ID',
    arguments: ['ID'],
    options: ['file', 'workspace'],
    required: ['file'],
    notes: ['The server validates it as it validates x-portkey-config. Example: turnpike configs put prod-fallback --file fallback.json'],
    async run({ args: [id = ''], values, client, output, io }) {
      const body = definedFields({
        config: await readJsonObjectFile(requiredString(values, 'file'), io, 'a Config object ({"strategy":…,"targets":[…]} or {"provider":…})'),
        workspace_id: stringOption(values, 'workspace'),
      });
      printConfig(output, await client.send({ method: 'PUT', path: resourcePath(CONFIGS, id), body }));
    },
  },
  {
    resource: 'configs',
    action: 'get',
    summary: 'Show a saved config (its current version, or --version N)',
    arguments: ['ID'],
    options: ['version'],
    async run({ args: [id = ''], values, client, output }) {
      const version = integerOption(values, 'version', 1, MAX_VERSION);
      printConfig(output, await client.send({ method: 'GET', path: resourcePath(CONFIGS, id), query: { version } }));
    },
  },
  {
    resource: 'configs',
    action: 'list',
    summary: 'List saved configs',
    arguments: [],
    options: [...LIST_OPTIONS],
    async run({ values, client, output }) {
      output.page(await client.list(CONFIGS, {}, pagingFromOptions(values)), CONFIG_COLUMNS, 'configs');
    },
  },
  {
    resource: 'configs',
    action: 'versions',
    summary: 'List the versions of a saved config',
    arguments: ['ID'],
    options: [...LIST_OPTIONS],
    async run({ args: [id = ''], values, client, output }) {
      const page = await client.list(resourcePath(CONFIGS, id, 'versions'), {}, pagingFromOptions(values));
      output.page(page, VERSION_COLUMNS, 'versions');
    },
  },
  {
    resource: 'configs',
    action: 'rollback',
    summary: 'Make an earlier version the current one',
    arguments: ['ID'],
    options: ['version'],
    required: ['version'],
    async run({ args: [id = ''], values, client, output }) {
      const body = { version: integerOption(values, 'version', 1, MAX_VERSION) };
      printConfig(output, await client.send({ method: 'POST', path: resourcePath(CONFIGS, id, 'rollback'), body }));
    },
  },
  {
    resource: 'configs',
    action: 'delete',
    summary: 'Delete a saved config and its versions',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      await client.send({ method: 'DELETE', path: resourcePath(CONFIGS, id) });
      output.message(`Deleted config ${id}.`);
    },
  },
];
