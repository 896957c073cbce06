import { resourcePath } from '../admin-client.ts';
import type { CommandSpec } from '../command-spec.ts';
import { asRecord, type Column, type Output } from '../output.ts';
import { requiredString, stringOption } from '../option-values.ts';
import { LIST_OPTIONS } from '../option-table.ts';
import { readJsonObjectFile } from '../read-json-object-file.ts';
import { pagingFromOptions } from './paging.ts';
import { definedFields } from './request-fields.ts';

const GUARDRAILS = '/v1/guardrails';

const GUARDRAIL_COLUMNS: readonly Column[] = [
  { header: 'ID', field: 'id' },
  { header: 'NAME', field: 'name' },
  { header: 'WORKSPACE', field: 'workspace_id' },
  { header: 'UPDATED', field: 'updated_at', date: true },
];

/** A saved guardrail: its bookkeeping as `field  value` lines, then its checks and actions as JSON. */
function printGuardrail(output: Output, answer: unknown): void {
  if (output.json) return output.record(answer);
  const { checks, actions, ...details } = asRecord(answer);
  output.record(details);
  output.message('checks');
  output.jsonBlock(checks);
  output.message('actions');
  output.jsonBlock(actions);
}

export const GUARDRAIL_COMMANDS: readonly CommandSpec[] = [
  {
    resource: 'guardrails',
    action: 'put',
    summary: 'Create or replace saved guardrail ID from a JSON file ({"name", "checks", "actions"})',
    arguments: ['ID'],
    options: ['file', 'workspace', 'name'],
    required: ['file'],
    notes: [
      'The file holds {"checks":[{"id":"default.contains","parameters":{"operator":"none","words":["x"]}}],"actions":{"deny":true}}.',
      'Configs use it by id: "input_guardrails": ["ID"]. Example: turnpike guardrails put no-pii --file no-pii.json',
    ],
    async run({ args: [id = ''], values, client, output, io }) {
      const document = await readJsonObjectFile(requiredString(values, 'file'), io, 'a guardrail object ({"checks":[…],"actions":{…}})');
      const body = { ...document, ...definedFields({ workspace_id: stringOption(values, 'workspace'), name: stringOption(values, 'name') }) };
      printGuardrail(output, await client.send({ method: 'PUT', path: resourcePath(GUARDRAILS, id), body }));
    },
  },
  {
    resource: 'guardrails',
    action: 'get',
    summary: 'Show a saved guardrail',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      printGuardrail(output, await client.send({ method: 'GET', path: resourcePath(GUARDRAILS, id) }));
    },
  },
  {
    resource: 'guardrails',
    action: 'list',
    summary: 'List saved guardrails',
    arguments: [],
    options: ['workspace', ...LIST_OPTIONS],
    async run({ values, client, output }) {
      const page = await client.list(GUARDRAILS, { workspace_id: stringOption(values, 'workspace') }, pagingFromOptions(values));
      output.page(page, GUARDRAIL_COLUMNS, 'guardrails');
    },
  },
  {
    resource: 'guardrails',
    action: 'delete',
    summary: 'Delete a saved guardrail (configs naming it then fail with 400)',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      await client.send({ method: 'DELETE', path: resourcePath(GUARDRAILS, id) });
      output.message(`Deleted guardrail ${id}.`);
    },
  },
];
