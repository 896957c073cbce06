import { BadRequestError, GatewayError, NotFoundError } from '../core/gateway-error.ts';

/** 409: the write lost a race, names an id that exists, or the resource is in a state that forbids it. */
export class ConflictError extends GatewayError {
  constructor(message: string, code = 'conflict') {
    super(message, { status: 409, type: 'invalid_request_error', code, retryable: false });
  }
}

/** 404 for a resource named in the path. */
export function resourceNotFound(label: string, id: string): NotFoundError {
  return new NotFoundError(`No ${label} with id ${JSON.stringify(id)}.`, `${label.replaceAll(' ', '_')}_not_found`);
}

/** 400 naming the body or query field at fault. */
export function invalidField(param: string, message: string, code = 'invalid_request'): BadRequestError {
  return new BadRequestError(`${param}: ${message}`, code, param);
}
