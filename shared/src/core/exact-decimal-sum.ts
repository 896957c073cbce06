/**
 * Exact sums of decimal amounts. A counter in DynamoDB receives each amount as the shortest
 * decimal string of its number (`String(0.1)` is `"0.1"`) and adds those decimals exactly,
 * where a float sum would not (`0.1 + 0.2` is `0.30000000000000004`). A write that takes back
 * several amounts at once must take back their exact decimal sum, or what it settles never
 * returns to exactly 0: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number
 */

/** A number, or a decimal string such as this file's sums return. */
export type DecimalAmount = number | string;

/** A decimal as digits × 10^−scale. */
interface ScaledDecimal {
  digits: bigint;
  scale: number;
}

// What String(number) writes (`-1.5`, `1e-7`, `1.2e+21`), and what DynamoDB returns.
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parse(amount: DecimalAmount): ScaledDecimal {
  if (typeof amount === 'number' && !Number.isFinite(amount)) throw new RangeError(`${amount} is not a decimal amount.`);
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const match = DECIMAL.exec(text);
  if (match === null) throw new RangeError(`${JSON.stringify(text)} is not a decimal amount.`);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const magnitude = BigInt(whole + fraction);
  const scale = fraction.length - Number(exponent);
  const digits = sign === '-' ? -magnitude : magnitude;
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

function format({ digits, scale }: ScaledDecimal): string {
  if (digits === 0n) return '0';
  const negative = digits < 0n;
  let text = (negative ? -digits : digits).toString();
  if (scale > 0) {
    text = text.padStart(scale + 1, '0');
    const fraction = text.slice(-scale).replace(/0+$/, '');
    text = fraction === '' ? text.slice(0, -scale) : `${text.slice(0, -scale)}.${fraction}`;
  }
  return negative ? `-${text}` : text;
}

/**
 * The exact sum of `amounts` as a plain decimal string (no exponent, no trailing zeros, `"0"`
 * for nothing). Numbers count as the decimals `String` writes for them.
 * @example sumDecimals([0.1, 0.2]) === '0.3'; sumDecimals([1e-7, '-0.5']) === '-0.4999999'
 */
export function sumDecimals(amounts: readonly DecimalAmount[]): string {
  const parsed = amounts.map(parse);
  const scale = Math.max(0, ...parsed.map((each) => each.scale));
  let digits = 0n;
  for (const each of parsed) digits += each.digits * 10n ** BigInt(scale - each.scale);
  return format({ digits, scale });
}

/** `−amount` exactly, as a plain decimal string. */
export function negatedDecimal(amount: DecimalAmount): string {
  const { digits, scale } = parse(amount);
  return format({ digits: -digits, scale });
}
