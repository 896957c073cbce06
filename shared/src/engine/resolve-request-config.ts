import { InvalidConfigError } from '../core/gateway-error.ts';
import type { SavedConfigStore } from '../ports/saved-config-store.ts';
import type { GatewayConfig } from '../protocol/config-schema.ts';
import { validateGatewayConfig } from '../protocol/validate-gateway-config.ts';

const EMPTY_CONFIG: GatewayConfig = {};
const MAX_CACHED_CONFIGS = 256;

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
    const config = header.startsWith('{') ? validateGatewayConfig(parseInlineConfig(header)) : await this.#loadSaved(header);
    if (header.startsWith('{')) this.#remember(header, config);
    return config;
  }

  async #loadSaved(id: string): Promise<GatewayConfig> {
    // Saved configs can change, so they are not kept here; the store caches them briefly.
    const stored = await this.savedConfigs.get(id);
    if (stored === undefined) throw new InvalidConfigError(`Saved config "${id}" was not found.`, 'x-portkey-config');
    return validateGatewayConfig(stored);
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
