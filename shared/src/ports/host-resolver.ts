/** Resolves a host name to its IP addresses, so SSRF checks see where a name really points. */
export interface HostResolver {
  resolve(hostname: string): Promise<string[]>;
}
