/** What the function URL verified about a request, beside the request itself. */
export interface GatewayRequestContext {
  /** The SigV4 signer's ARN (`requestContext.authorizer.iam.userArn`); used only on an AWS_IAM URL. */
  iamPrincipalArn?: string | undefined;
}

/** The engine as the runtimes see it: one web-standard request in, one response out. */
export interface GatewayEngine {
  handle(request: Request, context?: GatewayRequestContext): Promise<Response>;
  /** The function URL's auth type, so the handler knows whether the event's authorizer counts. @default 'NONE' */
  readonly functionUrlAuth?: 'NONE' | 'AWS_IAM';
  /** Resolves once background work (budget settlements) has ended; Lambda awaits it before freezing. */
  flush?(): Promise<void>;
}
