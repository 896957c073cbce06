import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports/clock.ts';
import type { CounterField, CounterFieldsResult } from '../../ports/counter-store.ts';
import { MAX_ADD_ROUNDS, SORT_VALUE, checkFields, fieldsOver } from './dynamodb-counter-item.ts';
import { isConditionalCheckFailed, refusedItem } from './dynamodb-errors.ts';
import { type DynamoItem, EXPIRES_AT, PARTITION_KEY, epochSeconds, isLive, itemKey, numberAttribute, readNumber } from './dynamodb-item.ts';

/** What `addCounterFields` borrows from the counter store. */
export interface CounterItemAccess {
  client: DynamoDBClient;
  tableName: string;
  clock: Pick<Clock, 'now'>;
  /** The item, read consistently. */
  read(key: string): Promise<DynamoItem | undefined>;
  /** Put the item afresh with `attributes` when it is absent or expired; false when someone else got there first. */
  start(key: string, attributes: DynamoItem, nowSeconds: number): Promise<boolean>;
}

/**
 * The condition of one multi-field add: the item is absent (only when every amount fits its
 * ceiling by itself), or live with every ceiling field at most `ceiling − amount`. A field the
 * item was seen without is checked as absent instead, since `#f <= :l` is false for a missing
 * attribute; should it appear meanwhile, the add is refused and tried again.
 */
function conditionOf(fields: readonly CounterField[], missing: ReadonlySet<string>, names: Record<string, string>, values: DynamoItem): string {
  const checks = ['#expiresAt > :now'];
  fields.forEach((field, index) => {
    if (field.ceiling === undefined) return;
    if (missing.has(field.name)) {
      checks.push(`attribute_not_exists(#f${index})`);
    } else {
      values[`:l${index}`] = numberAttribute(field.ceiling - field.amount);
      checks.push(`#f${index} <= :l${index}`);
    }
  });
  // AND binds tighter than OR, so no parentheses are needed (dynalite parses less without them).
  const live = checks.join(' AND ');
  if (fields.some((field) => field.ceiling !== undefined && field.amount > field.ceiling)) return live;
  names['#pk'] = PARTITION_KEY;
  return `attribute_not_exists(#pk) OR ${live}`;
}

/** One conditional ADD of every field; the old item when refused (undefined = refused, old item unknown). */
async function tryAddFields(
  access: CounterItemAccess,
  key: string,
  fields: readonly CounterField[],
  expiresAt: number,
  missing: ReadonlySet<string>,
  nowSeconds: number,
): Promise<CounterFieldsResult | { refused: DynamoItem | undefined }> {
  const names: Record<string, string> = { '#expiresAt': EXPIRES_AT };
  const values: DynamoItem = { ':expiresAt': numberAttribute(expiresAt), ':now': numberAttribute(nowSeconds) };
  fields.forEach((field, index) => {
    names[`#f${index}`] = field.name;
    values[`:a${index}`] = numberAttribute(field.amount);
  });
  const condition = conditionOf(fields, missing, names, values);
  try {
    const result = await access.client.send(
      new UpdateItemCommand({
        TableName: access.tableName,
        Key: itemKey(key, SORT_VALUE),
        UpdateExpression: `ADD ${fields.map((_, index) => `#f${index} :a${index}`).join(', ')} SET #expiresAt = :expiresAt`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    const attributes = result.Attributes ?? {};
    return { accepted: true, values: Object.fromEntries(fields.map((field) => [field.name, readNumber(attributes, field.name) ?? field.amount])), over: [] };
  } catch (error) {
    if (isConditionalCheckFailed(error)) return { refused: refusedItem(error) };
    throw error;
  }
}

/**
 * `CounterStore.addFields` on DynamoDB: one UpdateItem that ADDs every field, with each
 * ceiling in its condition. A refusal says which fields were over from the item as it stood
 * (DynamoDB's ALL_OLD; dynalite returns none, so it is read); an absent or expired item is
 * started with a conditional put, as `add` does.
 */
export async function addCounterFields(access: CounterItemAccess, key: string, fields: readonly CounterField[], expiresAt: number): Promise<CounterFieldsResult> {
  checkFields(fields);
  const zeros = (): Record<string, number> => Object.fromEntries(fields.map((field) => [field.name, 0]));
  let missing: ReadonlySet<string> = new Set();
  for (let round = 0; round < MAX_ADD_ROUNDS; round++) {
    const nowSeconds = epochSeconds(access.clock);
    const outcome = await tryAddFields(access, key, fields, expiresAt, missing, nowSeconds);
    if ('accepted' in outcome) return outcome;
    const item = outcome.refused ?? (await access.read(key));
    if (item === undefined || !isLive(item, nowSeconds)) {
      const over = fieldsOver(fields, {});
      if (over.length > 0) return { accepted: false, values: zeros(), over };
      const attributes: DynamoItem = { [EXPIRES_AT]: numberAttribute(expiresAt) };
      for (const field of fields) attributes[field.name] = numberAttribute(field.amount);
      if (await access.start(key, attributes, nowSeconds)) return { accepted: true, values: Object.fromEntries(fields.map((field) => [field.name, field.amount])), over: [] };
      continue;
    }
    const values = Object.fromEntries(fields.map((field) => [field.name, readNumber(item, field.name) ?? 0]));
    const over = fieldsOver(fields, values);
    if (over.length > 0) return { accepted: false, values, over };
    // Nothing is over: a ceiling field the item lacks failed its check, or the item changed
    // between the write and the read. Try again, checking the absent fields as absent.
    missing = new Set(fields.filter((field) => field.ceiling !== undefined && item[field.name] === undefined).map((field) => field.name));
  }
  throw new Error(`The counter ${key} kept changing under a conditional add.`);
}
