/** The engine as the runtimes see it: one web-standard request in, one response out. */
export interface GatewayEngine {
  handle(request: Request): Promise<Response>;
}
