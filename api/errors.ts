import type { ErrorRequestHandler, Response } from 'express';
import {
  QueryNotRegisteredError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ZodError } from 'zod';
import type { Logger } from '../platform/logger';

/** Every error answer has this shape: `{ error: { code, message, fields? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string>,
): void {
  const body: ErrorBody = {
    error: { code, message, ...(fields && Object.keys(fields).length > 0 ? { fields } : {}) },
  };
  res.status(status).json(body);
}

/** zod issues → `{ "lines.0.quantity": "must be greater than 0" }` (several messages joined). */
export function fieldsOf(error: ZodError, prefix = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const paths = unknownKeys.length > 0 ? unknownKeys.map((k) => [...issue.path, k]) : [issue.path];
    for (const p of paths) {
      const key = [prefix, ...p.map(String)].filter(Boolean).join('.') || '(body)';
      const message = unknownKeys.length > 0 ? 'unknown field' : issue.message;
      fields[key] = fields[key] ? `${fields[key]}; ${message}` : message;
    }
  }
  return fields;
}

export function validationError(error: ZodError, prefix = ''): ApiError {
  const fields = fieldsOf(error, prefix);
  return new ApiError(
    400,
    'validation_failed',
    `The request has ${Object.keys(fields).length} invalid field(s).`,
    fields,
  );
}

/** gRPC status codes that mean "Temporal is not there right now": UNAVAILABLE, DEADLINE_EXCEEDED. */
const UNAVAILABLE_CODES = new Set([14, 4]);

function isTemporalUnavailable(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof ApiError) return false;
  const code = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'number') return UNAVAILABLE_CODES.has(code);
  const text = `${err.name} ${err.message} ${(err.cause as Error | undefined)?.message ?? ''}`;
  return /\b(UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED)\b|Failed to connect|Connection refused|transport error/i.test(
    text,
  );
}

/** PostgreSQL refused or dropped the connection, or is shutting down / out of connections. */
function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof ApiError) return false;
  const { code, syscall } = err as { code?: unknown; syscall?: unknown };
  // SQLSTATE classes 08 (connection), 53 (resources) and 57P (operator intervention, e.g. shutdown).
  if (typeof code === 'string' && /^(08|53|57P)/.test(code)) return true;
  if (code === 'ECONNREFUSED' && syscall === 'connect') return true;
  return /Connection terminated|timeout exceeded when trying to connect/i.test(err.message);
}

/** What the log keeps of an unexpected error (gRPC errors do not serialize whole). */
function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { value: String(err) };
  const { code, details } = err as { code?: unknown; details?: unknown };
  return { name: err.name, message: err.message, code, details, stack: err.stack };
}

/** Maps Temporal and parsing errors to JSON answers; never a 500 for a caller's mistake. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    // Lines written while answering carry the request's id (set by the request log).
    const log = (res.locals.logger as Logger | undefined) ?? logger;
    if (err instanceof ApiError) return sendError(res, err.status, err.code, err.message, err.fields);
    if (err instanceof WorkflowNotFoundError) return sendError(res, 404, 'not_found', 'No such invoice.');
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return sendError(res, 409, 'conflict', 'An invoice with this number is already being processed.');
    }
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause;
      if (cause instanceof ApplicationFailure) {
        const details = cause.details?.[0];
        const fields =
          details && typeof details === 'object' ? (details as Record<string, string>) : undefined;
        const status = cause.type === 'InvalidTaskAnswer' ? 422 : 409;
        // Refused updates never reach the workflow history: the log keeps who tried what was refused.
        const principal = res.locals.principal as { keyId?: string } | undefined;
        log.info(
          { path: req.path, keyId: principal?.keyId, refused: cause.type, fields },
          'workflow update refused',
        );
        return sendError(res, status, snake(cause.type ?? 'update_refused'), cause.message, fields);
      }
      return sendError(res, 422, 'update_refused', cause?.message ?? err.message);
    }
    if (err instanceof QueryNotRegisteredError) return sendError(res, 409, 'not_available', err.message);
    if (err instanceof WorkflowFailedError) return sendError(res, 409, 'workflow_failed', err.message);
    const status =
      (err as { status?: unknown; statusCode?: unknown }).status ??
      (err as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (err as { type?: string }).type;
      const code =
        type === 'entity.too.large'
          ? 'payload_too_large'
          : type === 'entity.parse.failed'
            ? 'malformed_json'
            : 'bad_request';
      const message =
        code !== 'malformed_json'
          ? (err as Error).message
          : (err as Error).message.includes('"__proto__"')
            ? 'The body uses the reserved key "__proto__".'
            : 'The body is not valid JSON.';
      return sendError(res, status, code, message);
    }
    if (isDatabaseUnavailable(err)) {
      log.warn({ err: describeError(err) }, 'database unavailable');
      return sendError(
        res,
        503,
        'database_unavailable',
        'The records database is unavailable; retry in a moment.',
      );
    }
    if (isTemporalUnavailable(err)) {
      log.warn({ err: describeError(err) }, 'Temporal unavailable');
      return sendError(
        res,
        503,
        'temporal_unavailable',
        'The workflow service is unavailable; retry in a moment.',
      );
    }
    log.error({ err: describeError(err) }, 'unhandled API error');
    return sendError(res, 500, 'internal_error', 'Internal error; see the server log.');
  };
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
