import {
  BatchGetItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type DecimalAmount, negatedDecimal, sumDecimals } from '../../core/exact-decimal-sum.ts';
import type { CounterAddOptions, CounterAddResult, CounterHold, CounterStore, HoldSettlement, HoldSettlementResult } from '../../ports/counter-store.ts';
import { type CounterItemAccess, addCounterFields } from './dynamodb-counter-fields.ts';
import { MAX_ADD_ROUNDS, SORT_VALUE, VALUE, checkAmount, checkKey, decimalAttribute, holdName, holdsOf, stateOf, valueOf } from './dynamodb-counter-item.ts';
import { isConditionalCheckFailed, refusedItem, storeUnavailable } from './dynamodb-errors.ts';
import { type DynamoItem, EXPIRES_AT, PARTITION_KEY, epochSeconds, itemKey, numberAttribute, readNumber, readString } from './dynamodb-item.ts';
import type { DynamoDbTableOptions } from './dynamodb-table-options.ts';

export type DynamoDbCounterStoreOptions = DynamoDbTableOptions;

const NAMES = { '#pk': PARTITION_KEY, '#value': VALUE, '#expiresAt': EXPIRES_AT };
// BatchGetItem takes at most 100 keys per call.
const BATCH_GET_LIMIT = 100;

/**
 * The CounterStore on a DynamoDB table. `add` is one UpdateItem `ADD` whose condition holds
 * the ceiling, so concurrent adds never overshoot it. A counter whose `expiresAt` has passed
 * still holds its old value until TTL removes it (dynalite never does): the add refuses it
 * by condition, and the counter is then started afresh with a conditional put. Hold slots and
 * named fields are attributes of the same item, so a held reservation, or a rate window's
 * requests and tokens, is still one write.
 */
export function createDynamoDbCounterStore(options: DynamoDbCounterStoreOptions): CounterStore {
  const { client, tableName } = options;
  const clock = options.clock ?? { now: () => Date.now() };

  async function read(key: string): Promise<DynamoItem | undefined> {
    const result = await client.send(new GetItemCommand({ TableName: tableName, Key: itemKey(key, SORT_VALUE), ConsistentRead: true }));
    return result.Item;
  }

  /**
   * One conditional ADD; the old item when refused (undefined = refused, old item unknown).
   * A decimal string amount comes from an exact sum, which never has a ceiling.
   */
  async function tryAdd(key: string, amount: DecimalAmount, addOptions: CounterAddOptions, nowSeconds: number): Promise<CounterAddResult | { refused: DynamoItem | undefined }> {
    const { ceiling, holdSlot } = addOptions;
    const values: DynamoItem = {
      ':amount': decimalAttribute(amount),
      ':expiresAt': numberAttribute(addOptions.expiresAt),
      ':now': numberAttribute(nowSeconds),
    };
    let condition = 'attribute_not_exists(#pk) OR #expiresAt > :now';
    if (ceiling !== undefined) {
      values[':limit'] = numberAttribute(ceiling - Number(amount));
      const live = '#expiresAt > :now AND #value <= :limit';
      // A new counter starts at 0, so it takes the add only when the amount fits by itself.
      // AND binds tighter than OR in DynamoDB's grammar, so no parentheses are needed, and
      // without them dynalite's parser does about a fifth less work per add locally.
      condition = Number(amount) <= ceiling ? `attribute_not_exists(#pk) OR ${live}` : live;
    }
    // DynamoDB refuses names an expression does not use.
    const names: Record<string, string> = condition.includes('#pk') ? { ...NAMES } : { '#value': VALUE, '#expiresAt': EXPIRES_AT };
    if (holdSlot !== undefined) names['#hold'] = holdName(holdSlot);
    try {
      const result = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: itemKey(key, SORT_VALUE),
          // The same decimal string goes to the value and the slot, so settling can cancel it exactly.
          UpdateExpression: holdSlot === undefined ? 'ADD #value :amount SET #expiresAt = :expiresAt' : 'ADD #value :amount, #hold :amount SET #expiresAt = :expiresAt',
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          // A held reservation needs every slot of the item, to see the ones that went stale.
          ReturnValues: holdSlot === undefined ? 'UPDATED_NEW' : 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const attributes = result.Attributes ?? {};
      const accepted: CounterAddResult = { accepted: true, value: readNumber(attributes, VALUE) ?? Number(amount) };
      if (holdSlot !== undefined) accepted.holds = holdsOf(attributes);
      return accepted;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return { refused: refusedItem(error) };
      throw error;
    }
  }

  /** Start a counter that is absent or expired with `attributes`; false when someone else got there first. */
  async function tryStart(key: string, attributes: DynamoItem, nowSeconds: number): Promise<boolean> {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...itemKey(key, SORT_VALUE), ...attributes },
          ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#expiresAt': EXPIRES_AT },
          ExpressionAttributeValues: { ':now': numberAttribute(nowSeconds) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async function add(key: string, amount: DecimalAmount, addOptions: CounterAddOptions): Promise<CounterAddResult> {
    checkKey(key);
    checkAmount(amount);
    const { holdSlot } = addOptions;
    if (holdSlot !== undefined) holdName(holdSlot);
    // Holds are part of the answer only when the add was held.
    const answer = (accepted: boolean, value: number, holds: () => CounterHold[]): CounterAddResult =>
      holdSlot === undefined ? { accepted, value } : { accepted, value, holds: holds() };
    for (let round = 0; round < MAX_ADD_ROUNDS; round++) {
      const nowSeconds = epochSeconds(clock);
      const outcome = await tryAdd(key, amount, addOptions, nowSeconds);
      if ('accepted' in outcome) return outcome;
      // DynamoDB returns the refused item; dynalite does not, so read it.
      const item = outcome.refused ?? (await read(key));
      const current = valueOf(item, nowSeconds);
      if (item !== undefined && current !== undefined) return answer(false, current, () => holdsOf(item));
      // Absent or expired: a refusal of a fresh counter means the amount alone exceeds the ceiling.
      if (addOptions.ceiling !== undefined && Number(amount) > addOptions.ceiling) return answer(false, 0, () => []);
      const attributes: DynamoItem = { [VALUE]: decimalAttribute(amount), [EXPIRES_AT]: numberAttribute(addOptions.expiresAt) };
      if (holdSlot !== undefined) attributes[holdName(holdSlot)] = decimalAttribute(amount);
      if (await tryStart(key, attributes, nowSeconds)) {
        return answer(true, Number(amount), () => (holdSlot === undefined ? [] : [{ slot: holdSlot, amount: Number(amount), exact: sumDecimals([amount]) }]));
      }
    }
    throw new Error(`The counter ${key} kept changing under a conditional add.`);
  }

  async function settleHold(key: string, settlement: HoldSettlement): Promise<HoldSettlementResult> {
    checkKey(key);
    checkAmount(settlement.reserved);
    checkAmount(settlement.actual);
    try {
      const result = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: itemKey(key, SORT_VALUE),
          UpdateExpression: 'ADD #value :delta, #hold :release SET #expiresAt = :expiresAt',
          ConditionExpression: 'attribute_exists(#hold)',
          ExpressionAttributeNames: { '#value': VALUE, '#hold': holdName(settlement.slot), '#expiresAt': EXPIRES_AT },
          ExpressionAttributeValues: {
            // Exact decimals: the slot gets back exactly the digits it was given, summed.
            ':delta': decimalAttribute(sumDecimals([settlement.actual, negatedDecimal(settlement.reserved)])),
            ':release': decimalAttribute(negatedDecimal(settlement.reserved)),
            ':expiresAt': numberAttribute(settlement.expiresAt),
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return { value: readNumber(result.Attributes ?? {}, VALUE) ?? 0, held: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    // The slot was released, and with it the whole reservation: only the use remains to add.
    const added = await add(key, settlement.actual, { expiresAt: settlement.expiresAt });
    return { value: added.value, held: false };
  }

  async function releaseHold(key: string, hold: CounterHold): Promise<boolean> {
    checkKey(key);
    if (!Number.isFinite(Number(hold.exact)) || hold.exact.trim() === '') throw new RangeError(`A hold amount is a decimal number, not ${JSON.stringify(hold.exact)}.`);
    const empty = Number(hold.exact) === 0;
    const values: DynamoItem = { ':observed': { N: hold.exact } };
    if (!empty) values[':giveBack'] = { N: negatedDecimal(hold.exact) };
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: itemKey(key, SORT_VALUE),
          UpdateExpression: empty ? 'REMOVE #hold' : 'ADD #value :giveBack REMOVE #hold',
          // A settlement that landed meanwhile changed the slot: this release must not count it again.
          ConditionExpression: '#hold = :observed',
          ExpressionAttributeNames: empty ? { '#hold': holdName(hold.slot) } : { '#value': VALUE, '#hold': holdName(hold.slot) },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** The items of `keys` (each once) by key, read consistently in batches. */
  async function readMany(keys: readonly string[]): Promise<Map<string, DynamoItem>> {
    const unique = [...new Set(keys)];
    const items = new Map<string, DynamoItem>();
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let pending: DynamoItem[] = unique.slice(start, start + BATCH_GET_LIMIT).map((key) => itemKey(key, SORT_VALUE));
      // BatchGetItem may hand back part of the keys unprocessed when throttled; ask again.
      for (let round = 0; pending.length > 0; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(25 * 2 ** round, 500)));
        if (round > 8) throw new Error('BatchGetItem kept leaving keys unprocessed.');
        const result = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
        for (const item of result.Responses?.[tableName] ?? []) {
          const key = readString(item, PARTITION_KEY);
          if (key !== undefined) items.set(key, item);
        }
        pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
    }
    return items;
  }

  /** Run a store call, turning table failures into the gateway's 503 (argument errors stay as they are). */
  async function guarded<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof RangeError) throw error;
      throw storeUnavailable('counter', error);
    }
  }

  const itemAccess: CounterItemAccess = { client, tableName, clock, read, start: tryStart };

  return {
    add: (key, amount, addOptions) => guarded(() => add(key, amount, addOptions)),
    addFields: (key, fields, addOptions) => guarded(() => addCounterFields(itemAccess, key, fields, addOptions.expiresAt)),
    settleHold: (key, settlement) => guarded(() => settleHold(key, settlement)),
    releaseHold: (key, hold) => guarded(() => releaseHold(key, hold)),

    get: (key) => guarded(async () => valueOf(await read(key), epochSeconds(clock)) ?? 0),

    getMany: (keys) =>
      guarded(async () => {
        const nowSeconds = epochSeconds(clock);
        const items = await readMany(keys);
        return new Map([...new Set(keys)].map((key) => [key, valueOf(items.get(key), nowSeconds) ?? 0]));
      }),

    getStates: (keys) =>
      guarded(async () => {
        const nowSeconds = epochSeconds(clock);
        const items = await readMany(keys);
        return new Map([...new Set(keys)].map((key) => [key, stateOf(items.get(key), nowSeconds)]));
      }),
  };
}
