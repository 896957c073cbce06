/**
 * A minimal PNG encoder for the mock's images: an RGB image of one colour, deflated with
 * stored (uncompressed) blocks, which every PNG reader accepts. Layout per the PNG
 * specification (https://www.w3.org/TR/png/): signature, IHDR, IDAT (zlib), IEND.
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let value = 0; value < 256; value += 1) {
    let crc = value;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
    table[value] = crc >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function uint32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

function chunk(type: string, data: Uint8Array): number[] {
  const typed = new Uint8Array(4 + data.byteLength);
  typed.set(Array.from(type, (character) => character.charCodeAt(0)));
  typed.set(data, 4);
  return [...uint32(data.byteLength), ...typed, ...uint32(crc32(typed))];
}

/** zlib framing around stored deflate blocks (each at most 65535 bytes). */
function zlibStored(data: Uint8Array): Uint8Array {
  const out: number[] = [0x78, 0x01];
  const maxBlock = 0xffff;
  let offset = 0;
  do {
    const length = Math.min(maxBlock, data.byteLength - offset);
    const final = offset + length >= data.byteLength ? 1 : 0;
    out.push(final, length & 0xff, length >>> 8, ~length & 0xff, (~length >>> 8) & 0xff);
    out.push(...data.subarray(offset, offset + length));
    offset += length;
  } while (offset < data.byteLength);
  out.push(...uint32(adler32(data)));
  return Uint8Array.from(out);
}

/** A valid PNG of `size`×`size` pixels, all of one RGB colour. Keep `size` small: no compression. */
export function encodeSolidPng(size: number, rgb: readonly [number, number, number]): Uint8Array {
  const rowLength = 1 + size * 3;
  const pixels = new Uint8Array(rowLength * size);
  for (let row = 0; row < size; row += 1) {
    // Each scanline starts with its filter type; 0 means the bytes are stored as they are.
    pixels[row * rowLength] = 0;
    for (let column = 0; column < size; column += 1) pixels.set(rgb, row * rowLength + 1 + column * 3);
  }
  const header = Uint8Array.from([...uint32(size), ...uint32(size), 8, 2, 0, 0, 0]);
  return Uint8Array.from([
    ...SIGNATURE,
    ...chunk('IHDR', header),
    ...chunk('IDAT', zlibStored(pixels)),
    ...chunk('IEND', new Uint8Array(0)),
  ]);
}
