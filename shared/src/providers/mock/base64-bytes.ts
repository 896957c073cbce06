/** Standard base64 of bytes, with web APIs only (no Buffer), in slices to keep argument lists short. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const slice = 0x8000;
  for (let offset = 0; offset < bytes.byteLength; offset += slice) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + slice));
  }
  return btoa(binary);
}
