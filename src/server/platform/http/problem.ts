import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { DomainError, PROBLEM_TITLES, wantsEnglish, type FieldError, type ProblemCode } from '../errors/index.js';
import { fieldErrorsFromAjv } from './validation.js';

const PROBLEM_BASE = 'https://fengqiao.dev/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ProblemCode;
  errors?: FieldError[];
  correlationId: string;
  [k: string]: unknown;
}

export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ProblemCode,
  detail?: string,
  errors?: FieldError[],
  extra?: Record<string, unknown>,
) {
  const en = wantsEnglish(req.headers['accept-language']);
  const title = PROBLEM_TITLES[code][en ? 'en' : 'zh'];
  const body: Problem = {
    type: PROBLEM_BASE + code,
    title,
    status,
    ...(detail ? { detail } : {}),
    code,
    ...(errors?.length ? { errors } : {}),
    correlationId: req.id,
    ...extra,
  };
  if (status === 429 && typeof extra?.retryAfterSeconds === 'number') reply.header('retry-after', extra.retryAfterSeconds);
  return reply.code(status).type('application/problem+json; charset=utf-8').send(body);
}

const STATUS_CODES: Record<number, ProblemCode> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export function registerProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | DomainError | Error, req, reply) => {
    const en = wantsEnglish(req.headers['accept-language']);
    if (err instanceof DomainError) {
      return sendProblem(req, reply, err.status, err.code, err.detail, err.errors, err.extra);
    }
    const fe = err as FastifyError & { validation?: ErrorObject[]; validationContext?: string };
    if (fe.validation) {
      const errors = fieldErrorsFromAjv(fe.validation, en);
      const where = fe.validationContext === 'body' ? '' : `${fe.validationContext}: `;
      return sendProblem(
        req,
        reply,
        400,
        'validation',
        where + errors.map((e) => `${e.field} ${e.message}`).join('；'),
        errors,
      );
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && err instanceof SyntaxError)) {
      return sendProblem(req, reply, 400, 'malformed_json', en ? 'The request body is not valid JSON' : '请求体不是合法的 JSON');
    }
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return sendProblem(req, reply, 400, 'malformed_json', en ? 'The JSON body is empty' : '请求体为空');
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) {
      return sendProblem(req, reply, 413, 'payload_too_large', en ? 'The request body is too large' : '请求体超过大小限制');
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.statusCode === 415) {
      return sendProblem(
        req,
        reply,
        415,
        'unsupported_media_type',
        en ? 'Send the body as application/json' : '请以 application/json 格式提交',
      );
    }
    if (fe.statusCode === 429) {
      return sendProblem(req, reply, 429, 'rate_limited', en ? 'Too many requests, try again later' : '请求过于频繁，请稍后再试');
    }
    // a unique constraint lost to a concurrent writer: the same answer as the service's own check
    if ((err as { code?: string }).code === '23505') {
      return sendProblem(req, reply, 409, 'conflict', en ? 'The record already exists' : '记录已存在（可能刚被他人创建）');
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendProblem(req, reply, fe.statusCode, STATUS_CODES[fe.statusCode] ?? 'validation', fe.message);
    }
    req.log.error({ err, correlationId: req.id }, 'unhandled error');
    return sendProblem(
      req,
      reply,
      500,
      'internal',
      en ? `Quote correlation id ${req.id} to the administrator` : `请向管理员提供关联编号 ${req.id}`,
    );
  });
}
