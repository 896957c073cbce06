import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeyVault } from '../../shared/src/ports/key-vault.ts';

export type KeyVaultFactory = () => KeyVault | Promise<KeyVault>;

/** The behaviour every KeyVault must have. Names are unique per test. */
export function describeKeyVaultContract(name: string, createVault: KeyVaultFactory): void {
  describe(`${name} (KeyVault contract)`, () => {
    const uniqueName = () => `vk-${randomUUID()}`;

    it('has no secret under a name never written', async () => {
      const vault = await createVault();
      expect(await vault.get(uniqueName())).toBeUndefined();
    });

    it('returns a stored secret exactly, and the new one after a replace', async () => {
      const vault = await createVault();
      const name = uniqueName();
      const secret = `sk-${'x'.repeat(200)} {"json":"ok"} ✓`;
      await vault.put(name, secret);
      expect(await vault.get(name)).toBe(secret);
      await vault.put(name, 'sk-rotated');
      expect(await vault.get(name)).toBe('sk-rotated');
    });

    it('forgets a deleted secret, and deleting a missing one is fine', async () => {
      const vault = await createVault();
      const name = uniqueName();
      await vault.put(name, 'sk-1');
      await vault.delete(name);
      expect(await vault.get(name)).toBeUndefined();
      await vault.delete(name);
    });

    it('keeps names apart', async () => {
      const vault = await createVault();
      const [a, b] = [uniqueName(), uniqueName()];
      await vault.put(a, 'secret-a');
      await vault.put(`${b}/nested`, 'secret-b');
      expect(await vault.get(a)).toBe('secret-a');
      expect(await vault.get(b)).toBeUndefined();
      expect(await vault.get(`${b}/nested`)).toBe('secret-b');
    });

    it('refuses names outside letters, digits and /_+=.@-', async () => {
      const vault = await createVault();
      await expect(vault.get('bad name')).rejects.toBeInstanceOf(RangeError);
      await expect(vault.put('', 'x')).rejects.toBeInstanceOf(RangeError);
      await expect(vault.delete('a#b')).rejects.toBeInstanceOf(RangeError);
    });
  });
}
