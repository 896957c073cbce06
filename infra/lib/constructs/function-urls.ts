import { Duration } from 'aws-cdk-lib';
import {
  FunctionUrl,
  FunctionUrlAuthType,
  type FunctionUrlCorsOptions,
  HttpMethod,
  type IFunction,
  InvokeMode,
} from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** The request headers a browser may send to the gateway: the OpenAI SDK's and Portkey's. */
const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-portkey-api-key',
  'x-portkey-provider',
  'x-portkey-config',
  'x-portkey-virtual-key',
  'x-portkey-trace-id',
  'x-portkey-metadata',
  'x-portkey-cache-force-refresh',
  'x-portkey-request-timeout',
  'x-portkey-forward-headers',
  'x-portkey-custom-host',
  'openai-organization',
  'openai-project',
  'x-stainless-arch',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
];

/** The response headers a browser script may read. */
const CORS_EXPOSED_HEADERS = [
  'x-portkey-trace-id',
  'x-portkey-provider',
  'x-portkey-cache-status',
  'x-portkey-retry-attempt-count',
  'x-portkey-last-used-option-index',
  'retry-after',
];

export interface TurnpikeFunctionUrlProps {
  readonly function: IFunction;
  /** Who may call: AWS_IAM (SigV4-signed callers with lambda:InvokeFunctionUrl) unless set. @default FunctionUrlAuthType.AWS_IAM */
  readonly authType?: FunctionUrlAuthType;
  /** @default InvokeMode.BUFFERED */
  readonly invokeMode?: InvokeMode;
  /**
   * Browser origins allowed by CORS. Empty (the default) sends no CORS headers, so browsers
   * refuse cross-origin calls; server-side callers are unaffected.
   * @default []
   */
  readonly allowedOrigins?: readonly string[];
}

/**
 * A function URL with secure defaults: IAM auth, and CORS only for the origins named. The
 * URL's auth type is the security boundary: NONE is meant only for the public gateway, which
 * authenticates each request with a gateway key itself.
 */
export class TurnpikeFunctionUrl extends Construct {
  readonly functionUrl: FunctionUrl;
  readonly authType: FunctionUrlAuthType;

  constructor(scope: Construct, id: string, props: TurnpikeFunctionUrlProps) {
    super(scope, id);
    this.authType = props.authType ?? FunctionUrlAuthType.AWS_IAM;
    const origins = props.allowedOrigins ?? [];
    this.functionUrl = new FunctionUrl(this, 'Url', {
      function: props.function,
      authType: this.authType,
      invokeMode: props.invokeMode ?? InvokeMode.BUFFERED,
      ...(origins.length > 0 ? { cors: corsFor(origins) } : {}),
    });
  }

  /** The URL, ending with `/`. */
  get url(): string {
    return this.functionUrl.url;
  }
}

function corsFor(origins: readonly string[]): FunctionUrlCorsOptions {
  return {
    allowedOrigins: [...origins],
    allowedMethods: [HttpMethod.GET, HttpMethod.POST],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    // Gateway keys travel in headers, never in cookies.
    allowCredentials: false,
    maxAge: Duration.hours(1),
  };
}
