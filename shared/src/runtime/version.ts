/** Reported by /health; bumped with each release. */
export const GATEWAY_VERSION = '0.1.0';
