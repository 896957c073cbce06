import type { Paging } from '../admin-client.ts';
import { flagOption, integerOption, stringOption, type OptionValues } from '../option-values.ts';

/** `--limit`, `--cursor` and `--all`, as every listing takes them. */
export function pagingFromOptions(values: OptionValues): Paging {
  const limit = integerOption(values, 'limit', 1, 200);
  const cursor = stringOption(values, 'cursor');
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(cursor === undefined ? {} : { cursor }),
    all: flagOption(values, 'all'),
  };
}
