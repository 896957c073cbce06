import { InvalidConfigError } from '../core/gateway-error.ts';
import type { SavedConfigStore } from '../ports/saved-config-store.ts';
import type { GatewayConfig } from '../protocol/config-schema.ts';

const EMPTY_CONFIG: GatewayConfig = {};
const MAX_CACHED_CONFIGS = 256;

let validateGatewayConfig: ((input: unknown) => GatewayConfig) | undefined;

/**
 * Validates with the Config schema, imported with the first config a request brings. Requests
 * that only name a provider never need it, so a Lambda cold start does not load the schema
 * and zod (a chunk of their own in the bundle, about 40 KB).
 */
async function validateConfig(input: unknown): Promise<GatewayConfig> {
  validateGatewayConfig ??= (await import('../protocol/validate-gateway-config.ts')).validateGatewayConfig;
  return validateGatewayConfig(input);
}

/**
 * Turns the `x-portkey-config` header (inline JSON or a saved config id) into a validated
 * Config. Inline configs repeat verbatim across requests from one client, so validated
 * results are kept in a small bounded map keyed by the header text.
 */
export class RequestConfigResolver {
  readonly #validated = new Map<string, GatewayConfig>();

  constructor(private readonly savedConfigs: SavedConfigStore) {}

  async resolve(header: string | undefined): Promise<GatewayConfig> {
    if (header === undefined) return EMPTY_CONFIG;
    const cached = this.#validated.get(header);
    if (cached !== undefined) return cached;
    const config = header.startsWith('{') ? await validateConfig(parseInlineConfig(header)) : await this.#loadSaved(header);
    if (header.startsWith('{')) this.#remember(header, config);
    return config;
  }

  async #loadSaved(id: string): Promise<GatewayConfig> {
    // Saved configs can change, so they are not kept here; the store caches them briefly.
    const stored = await this.savedConfigs.get(id);
    if (stored === undefined) throw new InvalidConfigError(`Saved config "${id}" was not found.`, 'x-portkey-config');
    return validateConfig(stored);
  }

  #remember(header: string, config: GatewayConfig): void {
    if (this.#validated.size >= MAX_CACHED_CONFIGS) {
      const oldest = this.#validated.keys().next().value;
      if (oldest !== undefined) this.#validated.delete(oldest);
    }
    this.#validated.set(header, config);
  }
}

function parseInlineConfig(header: string): unknown {
  try {
    return JSON.parse(header);
  } catch {
    throw new InvalidConfigError('x-portkey-config is neither valid JSON nor a saved config id.', 'x-portkey-config');
  }
}
