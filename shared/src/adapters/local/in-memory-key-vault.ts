import type { KeyVault } from '../../ports/key-vault.ts';

const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,256}$/;

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name)) throw new RangeError('A secret name has 1 to 256 letters, digits or /_+=.@- characters.');
}

/** A KeyVault held in memory, for tests and `TURNPIKE_DATA_DIR=:memory:`; gone when the process ends. */
export function createInMemoryKeyVault(initial: Readonly<Record<string, string>> = {}): KeyVault {
  const secrets = new Map(Object.entries(initial));
  return {
    async get(name) {
      checkName(name);
      return secrets.get(name);
    },
    async put(name, secret) {
      checkName(name);
      secrets.set(name, secret);
    },
    async delete(name) {
      checkName(name);
      secrets.delete(name);
    },
  };
}
