import { createTurnpikeTables } from '../../../shared/src/adapters/aws/create-turnpike-tables.ts';
import { createDynamoDbStores } from '../../../shared/src/adapters/aws/dynamodb-stores.ts';
import { createInMemoryKeyVault } from '../../../shared/src/adapters/local/in-memory-key-vault.ts';
import { createTokenAdminAuthenticator, hashAdminToken } from '../../../shared/src/admin/admin-authenticators.ts';
import type { AdminRuntime } from '../../../shared/src/admin/admin-runtime.ts';
import { createAdminEngine } from '../../../shared/src/engine/create-admin-engine.ts';
import type { ControlItem, ControlStore } from '../../../shared/src/ports/control-store.ts';
import type { KeyVault } from '../../../shared/src/ports/key-vault.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import type { TestDynamo } from '../../support/start-test-dynamo.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface AdminAnswer {
  status: number;
  // Tests read whatever the API answered.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export interface AdminHarness {
  clock: FakeClock;
  control: ControlStore;
  vault: KeyVault;
  runtime: AdminRuntime;
  /** Call the admin engine with the admin token; the clock moves 1 ms per call so audit order is defined. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<AdminAnswer>;
  /** Every audit record in the control table, as stored. */
  auditItems(): Promise<ControlItem[]>;
}

let tableCounter = 0;

/**
 * The admin engine on fresh tables of a shared dynalite (one set per test, so listings see only
 * that test's items), an in-memory vault and the local token authenticator.
 */
export async function createAdminHarness(dynamo: TestDynamo): Promise<AdminHarness> {
  tableCounter += 1;
  const suffix = `${process.pid}-${tableCounter}`;
  const tables = { control: `admin-control-${suffix}`, counters: `admin-counters-${suffix}`, cache: `admin-cache-${suffix}`, logs: `admin-logs-${suffix}` };
  await createTurnpikeTables(dynamo.client, tables, { pollMs: 5 });
  const clock = new FakeClock(Date.parse('2025-06-01T00:00:00Z'));
  const stores = createDynamoDbStores(dynamo.client, tables, clock);
  const vault = createInMemoryKeyVault();
  const runtime: AdminRuntime = {
    version: 'test',
    control: stores.control,
    keyVault: vault,
    counters: stores.counters,
    clock,
    authenticator: createTokenAdminAuthenticator(hashAdminToken(ADMIN_TOKEN)),
    close: async () => undefined,
  };
  const engine = createAdminEngine(runtime);
  return {
    clock,
    control: stores.control,
    vault,
    runtime,
    async call(method, path, body, headers = {}) {
      clock.current += 1;
      const response = await engine.handle(
        new Request(`http://admin.test${path}`, {
          method,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        }),
      );
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text), text };
    },
    async auditItems() {
      const items: ControlItem[] = [];
      let cursor: string | undefined;
      do {
        const page = await stores.control.list('audit', { limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
        items.push(...page.items);
        cursor = page.cursor;
      } while (cursor !== undefined);
      return items;
    },
  };
}
