import { BatchWriteItemCommand, PutItemCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject } from '../../core/json.ts';
import type { FeedbackEntry, LogEntry, LogQuery, LogStore } from '../../ports/log-store.ts';
import type { Page } from '../../ports/page.ts';
import { decodeCursor, encodeCursor } from './dynamodb-cursor.ts';
import { storeUnavailable } from './dynamodb-errors.ts';
import {
  type DynamoItem,
  EXPIRES_AT,
  LIVE_ITEMS_FILTER,
  PARTITION_KEY,
  SORT_KEY,
  epochSeconds,
  numberAttribute,
  pageLimit,
  readBinary,
  readNumber,
  readString,
} from './dynamodb-item.ts';
import { LOG_INDEXES, LOG_INDEX_SORT_KEY } from './turnpike-tables.ts';
import type { DynamoDbTableOptions } from './dynamodb-table-options.ts';

export type DynamoDbLogStoreOptions = DynamoDbTableOptions;

// Item layout (docs/INFRA-CONTRACT.md): pk = TRACE#<traceId>, sk = <createdAt ISO>#<requestId>,
// createdAt (ISO text, so it sorts), day (YYYY-MM-DD), apiKeyId?, workspaceId?, expiresAt, data (JSON),
// bodies? (B, compressed). Feedback shares the trace's partition with sk = FEEDBACK#<ISO>#<id> and
// no createdAt or day attribute, so no index sees it; 'F' sorts after every ISO year's digits.
const TRACE_PREFIX = 'TRACE#';
const FEEDBACK_PREFIX = 'FEEDBACK#';
const BODIES = 'bodies';
// A trace with more feedback than this is abuse; the rest is not read back.
const MAX_FEEDBACK_READ = 1000;
const DAY_MS = 86_400_000;
// A time query walks one byDay partition per day; a year is the most one query may span.
const MAX_DAYS = 366;

// BatchWriteItem takes at most 25 put requests.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
const MAX_BATCH_ENTRIES = 25;

const iso = (epochMs: number): string => new Date(epochMs).toISOString();
const dayOf = (epochMs: number): string => iso(epochMs).slice(0, 10);

function logItem(entry: LogEntry): DynamoItem {
  const item: DynamoItem = {
    [PARTITION_KEY]: { S: `${TRACE_PREFIX}${entry.traceId}` },
    [SORT_KEY]: { S: `${iso(entry.createdAt)}#${entry.requestId}` },
    [LOG_INDEX_SORT_KEY]: { S: iso(entry.createdAt) },
    [LOG_INDEXES.byDay.partition]: { S: dayOf(entry.createdAt) },
    [EXPIRES_AT]: numberAttribute(entry.expiresAt),
    data: { S: JSON.stringify(entry.data) },
  };
  // Index keys may not be empty strings; an item without one is simply not in that index.
  if (entry.workspaceId !== undefined && entry.workspaceId !== '') item[LOG_INDEXES.byWorkspace.partition] = { S: entry.workspaceId };
  if (entry.apiKeyId !== undefined && entry.apiKeyId !== '') item[LOG_INDEXES.byApiKey.partition] = { S: entry.apiKeyId };
  if (entry.bodies !== undefined && entry.bodies.byteLength > 0) item[BODIES] = { B: entry.bodies };
  return item;
}

const primaryKeyOf = (item: DynamoItem): string => `${readString(item, PARTITION_KEY) ?? ''}\n${readString(item, SORT_KEY) ?? ''}`;

function toEntry(item: DynamoItem): LogEntry | undefined {
  const pk = readString(item, PARTITION_KEY);
  const sk = readString(item, SORT_KEY);
  const createdAt = readString(item, LOG_INDEX_SORT_KEY);
  const expiresAt = readNumber(item, EXPIRES_AT);
  const dataText = readString(item, 'data');
  if (pk === undefined || sk === undefined || createdAt === undefined || expiresAt === undefined || dataText === undefined) return undefined;
  const data: unknown = JSON.parse(dataText);
  if (!isJsonObject(data)) return undefined;
  const entry: LogEntry = {
    traceId: pk.slice(TRACE_PREFIX.length),
    requestId: sk.slice(sk.indexOf('#') + 1),
    createdAt: Date.parse(createdAt),
    expiresAt,
    data,
  };
  const workspaceId = readString(item, LOG_INDEXES.byWorkspace.partition);
  const apiKeyId = readString(item, LOG_INDEXES.byApiKey.partition);
  const bodies = readBinary(item, BODIES);
  if (workspaceId !== undefined) entry.workspaceId = workspaceId;
  if (apiKeyId !== undefined) entry.apiKeyId = apiKeyId;
  if (bodies !== undefined) entry.bodies = bodies;
  return entry;
}

function toFeedback(item: DynamoItem): FeedbackEntry | undefined {
  const pk = readString(item, PARTITION_KEY);
  const expiresAt = readNumber(item, EXPIRES_AT);
  const dataText = readString(item, 'data');
  if (pk === undefined || expiresAt === undefined || dataText === undefined) return undefined;
  const data: unknown = JSON.parse(dataText);
  if (!isJsonObject(data) || typeof data.feedbackId !== 'string' || typeof data.value !== 'number' || typeof data.weight !== 'number') return undefined;
  const entry: FeedbackEntry = {
    feedbackId: data.feedbackId,
    traceId: pk.slice(TRACE_PREFIX.length),
    createdAt: typeof data.createdAt === 'number' ? data.createdAt : 0,
    expiresAt,
    value: data.value,
    weight: data.weight,
    metadata: isJsonObject(data.metadata) ? data.metadata : {},
  };
  if (typeof data.workspaceId === 'string') entry.workspaceId = data.workspaceId;
  if (typeof data.apiKeyId === 'string') entry.apiKeyId = data.apiKeyId;
  return entry;
}

interface Target {
  index: string | undefined;
  partitionName: string;
  partitionValue: string;
  sortName: string;
}

/** The table or index a selector reads, for one partition value. */
function targetOf(query: LogQuery, day: string | undefined): Target {
  const { select } = query;
  switch (select.by) {
    case 'trace':
      return { index: undefined, partitionName: PARTITION_KEY, partitionValue: `${TRACE_PREFIX}${select.traceId}`, sortName: SORT_KEY };
    case 'workspace':
      return { index: LOG_INDEXES.byWorkspace.name, partitionName: LOG_INDEXES.byWorkspace.partition, partitionValue: select.workspaceId, sortName: LOG_INDEX_SORT_KEY };
    case 'api-key':
      return { index: LOG_INDEXES.byApiKey.name, partitionName: LOG_INDEXES.byApiKey.partition, partitionValue: select.apiKeyId, sortName: LOG_INDEX_SORT_KEY };
    case 'time':
      return { index: LOG_INDEXES.byDay.name, partitionName: LOG_INDEXES.byDay.partition, partitionValue: day ?? '', sortName: LOG_INDEX_SORT_KEY };
  }
}

/**
 * The key condition on the sort key for [from, to); the table's sk has `#<requestId>` after the
 * time, and a trace's feedback items (sk FEEDBACK#…) sort after every request of the trace.
 */
function rangeCondition(query: LogQuery, target: Target, values: DynamoItem): string {
  const onTable = target.sortName === SORT_KEY;
  const lower = query.from === undefined ? undefined : iso(query.from);
  // '$' sorts just after '#'.
  const upper = query.to === undefined ? undefined : `${iso(query.to - 1)}${onTable ? '$' : ''}`;
  if (lower !== undefined) values[':from'] = { S: lower };
  if (upper !== undefined) values[':to'] = { S: upper };
  if (lower !== undefined && upper !== undefined) return ' AND #sort BETWEEN :from AND :to';
  if (upper !== undefined) return ' AND #sort <= :to';
  if (onTable) {
    values[':feedback'] = { S: FEEDBACK_PREFIX };
    return lower === undefined ? ' AND #sort < :feedback' : ' AND #sort BETWEEN :from AND :feedback';
  }
  if (lower !== undefined) return ' AND #sort >= :from';
  return '';
}

/** What a query reads of each item: everything but the bodies when asked to omit them. */
function projection(query: LogQuery): Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames'> {
  if (query.omitBodies !== true) return {};
  const names = [PARTITION_KEY, SORT_KEY, LOG_INDEX_SORT_KEY, EXPIRES_AT, 'data', LOG_INDEXES.byWorkspace.partition, LOG_INDEXES.byApiKey.partition, LOG_INDEXES.byDay.partition];
  return {
    ProjectionExpression: names.map((_, index) => `#p${index}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#p${index}`, name])),
  };
}

/** The days a time query covers, in the order it reads them. */
function daysOf(query: LogQuery): string[] {
  if (query.from === undefined || query.to === undefined) {
    throw new BadRequestError('A query over all logs needs both `from` and `to`.', 'invalid_request', 'from');
  }
  const days: string[] = [];
  for (let time = Math.floor(query.from / DAY_MS) * DAY_MS; time < query.to; time += DAY_MS) {
    days.push(dayOf(time));
    if (days.length > MAX_DAYS) throw new BadRequestError(`A query over all logs may span at most ${MAX_DAYS} days.`, 'invalid_request', 'to');
  }
  return query.order === 'oldest-first' ? days : days.reverse();
}

/**
 * The LogStore on a DynamoDB table with the byApiKey / byWorkspace / byDay indexes. A time
 * query walks the byDay partitions one day at a time; its cursor remembers the day.
 */
export function createDynamoDbLogStore(options: DynamoDbLogStoreOptions): LogStore {
  const { client, tableName } = options;
  const clock = options.clock ?? { now: () => Date.now() };

  async function queryPartition(query: LogQuery, target: Target, limit: number, start: DynamoItem | undefined) {
    const values: DynamoItem = { ':partition': { S: target.partitionValue }, ':now': numberAttribute(epochSeconds(clock)) };
    const range = rangeCondition(query, target, values);
    const projected = projection(query);
    const input: QueryCommandInput = {
      TableName: tableName,
      KeyConditionExpression: `#partition = :partition${range}`,
      FilterExpression: LIVE_ITEMS_FILTER,
      ...(projected.ProjectionExpression === undefined ? {} : { ProjectionExpression: projected.ProjectionExpression }),
      ExpressionAttributeNames: {
        '#partition': target.partitionName,
        ...(range === '' ? {} : { '#sort': target.sortName }),
        '#expiresAt': EXPIRES_AT,
        ...projected.ExpressionAttributeNames,
      },
      ExpressionAttributeValues: values,
      ScanIndexForward: query.order === 'oldest-first',
      Limit: limit,
      ...(target.index === undefined ? {} : { IndexName: target.index }),
      ...(start === undefined ? {} : { ExclusiveStartKey: start }),
    };
    const result = await client.send(new QueryCommand(input));
    const entries = (result.Items ?? []).map(toEntry).filter((entry): entry is LogEntry => entry !== undefined);
    return { entries, lastKey: result.LastEvaluatedKey };
  }

  function allowedCursorNames(target: Target): string[] {
    return target.index === undefined ? [PARTITION_KEY, SORT_KEY] : [PARTITION_KEY, SORT_KEY, target.partitionName, LOG_INDEX_SORT_KEY];
  }

  async function queryOnePartition(query: LogQuery, limit: number): Promise<Page<LogEntry>> {
    const target = targetOf(query, undefined);
    if (target.partitionValue === '' || target.partitionValue === TRACE_PREFIX) {
      throw new BadRequestError(`A log query by ${query.select.by} needs a non-empty id.`, 'invalid_request', query.select.by);
    }
    const start =
      query.cursor === undefined
        ? undefined
        : decodeCursor(query.cursor, allowedCursorNames(target), { [target.partitionName]: target.partitionValue }).key;
    const { entries, lastKey } = await queryPartition(query, target, limit, start);
    return { items: entries, cursor: lastKey === undefined ? undefined : encodeCursor(lastKey) };
  }

  async function queryByDay(query: LogQuery, limit: number): Promise<Page<LogEntry>> {
    const days = daysOf(query);
    let dayIndex = 0;
    let start: DynamoItem | undefined;
    if (query.cursor !== undefined) {
      const probe = targetOf(query, undefined);
      const decoded = decodeCursor(query.cursor, allowedCursorNames(probe), {});
      const day = decoded.state.day;
      dayIndex = day === undefined ? -1 : days.indexOf(day);
      const keyDay = decoded.key[LOG_INDEXES.byDay.partition];
      const keyMatches = keyDay === undefined ? Object.keys(decoded.key).length === 0 : 'S' in keyDay && keyDay.S === day;
      if (dayIndex === -1 || !keyMatches) throw new BadRequestError('The cursor is not one this listing returned.', 'invalid_cursor', 'cursor');
      start = Object.keys(decoded.key).length === 0 ? undefined : decoded.key;
    }
    const items: LogEntry[] = [];
    while (dayIndex < days.length) {
      const day = days[dayIndex] as string;
      const { entries, lastKey } = await queryPartition(query, targetOf(query, day), limit - items.length, start);
      items.push(...entries);
      if (lastKey !== undefined) {
        if (items.length >= limit) return { items, cursor: encodeCursor(lastKey, { day }) };
        start = lastKey;
        continue;
      }
      dayIndex++;
      start = undefined;
      if (items.length >= limit && dayIndex < days.length) return { items, cursor: encodeCursor({}, { day: days[dayIndex] as string }) };
    }
    return { items, cursor: undefined };
  }

  return {
    maxBatchEntries: MAX_BATCH_ENTRIES,

    async put(entry) {
      try {
        await client.send(new PutItemCommand({ TableName: tableName, Item: logItem(entry) }));
      } catch (error) {
        throw storeUnavailable('log', error);
      }
    },

    async putBatch(entries) {
      if (entries.length === 0) return [];
      if (entries.length > MAX_BATCH_ENTRIES) throw new RangeError(`A log batch holds at most ${MAX_BATCH_ENTRIES} entries, got ${entries.length}.`);
      const sent = new Map<string, LogEntry>();
      const requests = entries.map((entry) => {
        const item = logItem(entry);
        sent.set(primaryKeyOf(item), entry);
        return { PutRequest: { Item: item } };
      });
      let unprocessed;
      try {
        const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
        unprocessed = result.UnprocessedItems?.[tableName] ?? [];
      } catch (error) {
        throw storeUnavailable('log', error);
      }
      // DynamoDB hands back the put requests it did not apply, items unchanged.
      return unprocessed.map((request) => {
        const entry = request.PutRequest?.Item === undefined ? undefined : sent.get(primaryKeyOf(request.PutRequest.Item));
        // An answer naming an item that was not sent cannot be trusted for the others either.
        if (entry === undefined) throw storeUnavailable('log', new Error('BatchWriteItem returned an unprocessed item that was not sent.'));
        return entry;
      });
    },

    async query(query) {
      const limit = pageLimit(query.limit, 50, 1000);
      try {
        return query.select.by === 'time' ? await queryByDay(query, limit) : await queryOnePartition(query, limit);
      } catch (error) {
        throw storeUnavailable('log', error);
      }
    },

    async putFeedback(entry) {
      const { feedbackId, createdAt, value, weight, metadata } = entry;
      const data: Record<string, unknown> = { feedbackId, createdAt, value, weight, metadata };
      if (entry.workspaceId !== undefined) data.workspaceId = entry.workspaceId;
      if (entry.apiKeyId !== undefined) data.apiKeyId = entry.apiKeyId;
      const item: DynamoItem = {
        [PARTITION_KEY]: { S: `${TRACE_PREFIX}${entry.traceId}` },
        [SORT_KEY]: { S: `${FEEDBACK_PREFIX}${iso(createdAt)}#${feedbackId}` },
        [EXPIRES_AT]: numberAttribute(entry.expiresAt),
        data: { S: JSON.stringify(data) },
      };
      try {
        await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
      } catch (error) {
        throw storeUnavailable('log', error);
      }
    },

    async listFeedback(traceId) {
      const feedback: FeedbackEntry[] = [];
      let start: DynamoItem | undefined;
      try {
        do {
          const result = await client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :feedback)',
              FilterExpression: LIVE_ITEMS_FILTER,
              ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY, '#expiresAt': EXPIRES_AT },
              ExpressionAttributeValues: {
                ':pk': { S: `${TRACE_PREFIX}${traceId}` },
                ':feedback': { S: FEEDBACK_PREFIX },
                ':now': numberAttribute(epochSeconds(clock)),
              },
              ...(start === undefined ? {} : { ExclusiveStartKey: start }),
            }),
          );
          for (const item of result.Items ?? []) {
            const entry = toFeedback(item);
            if (entry !== undefined) feedback.push(entry);
          }
          start = result.LastEvaluatedKey;
        } while (start !== undefined && feedback.length < MAX_FEEDBACK_READ);
      } catch (error) {
        throw storeUnavailable('log', error);
      }
      return feedback;
    },
  };
}
