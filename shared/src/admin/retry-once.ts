import { ConflictError } from './admin-errors.ts';

export interface Change<Before, After> {
  before: Before;
  after: After;
}

/**
 * Run a conditional write of the keys module, which answers undefined both when the item is
 * absent and when another writer got there first. Read first to tell the two apart (404), and
 * retry a lost race once on a fresh read; a second loss is a 409.
 */
export async function retryOnce<Before, After>(
  read: () => Promise<Before | undefined>,
  write: (before: Before) => Promise<After | undefined>,
  notFound: () => Error,
  what: string,
): Promise<Change<Before, After>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const before = await read();
    if (before === undefined) throw notFound();
    const after = await write(before);
    if (after !== undefined) return { before, after };
  }
  throw new ConflictError(`Another change to ${what} happened at the same time; read it again and retry.`, 'version_conflict');
}
