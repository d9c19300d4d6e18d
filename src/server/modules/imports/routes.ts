import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../platform/errors/index.js';
import { IdParams, PageQuery, pageArgs, Strict } from '../../platform/http/schemas.js';
import { sendTable } from '../../platform/http/tabular.js';
import type { ImportRunner } from './engine.js';
import { KINDS, IMPORT_ACCESS, IMPORT_KINDS } from './kinds/index.js';
import * as imports from './service.js';
import { templateCsv, templateXlsx } from './templates.js';

const Kind = Type.Union(IMPORT_KINDS.map((k) => Type.Literal(k)), { description: 'addresses 标准地址 | persons 实有人口 | housing 实有房屋 | units 实有单位' });
const Format = Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], { default: 'xlsx' });

/** Upload types: XLSX, CSV, or any bytes (the server looks at the file itself). */
const UPLOAD_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream', 'application/vnd.ms-excel'];

const attachment = (name: string) => `attachment; filename="template"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Bulk import of registry data. Registered in its own context: the upload route takes the raw file as its body. */
export async function importRoutes(app: FastifyInstance, deps: Deps, runner: ImportRunner) {
  app.addContentTypeParser(UPLOAD_TYPES, (_req, payload, done) => done(null, payload));
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const kick = () => runner.kick();

  r.get(
    '/api/v1/imports/templates/:kind',
    {
      config: { access: IMPORT_ACCESS },
      schema: {
        tags: ['imports'],
        summary: '下载导入模板（中文列名、示例行、填写说明）',
        params: Type.Object({ kind: Kind }, Strict),
        querystring: Type.Object({ format: Type.Optional(Format) }, Strict),
      },
    },
    async (req, reply) => {
      const def = KINDS[req.params.kind];
      const name = `${def.title}导入模板`;
      if (req.query.format === 'csv') {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(`${name}.csv`)).send(templateCsv(def));
      }
      const buf = await templateXlsx(def);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', attachment(`${name}.xlsx`)).send(buf);
    },
  );

  r.post(
    '/api/v1/imports',
    {
      config: { access: IMPORT_ACCESS },
      schema: {
        tags: ['imports'],
        summary: '上传导入文件（请求体为 XLSX 或 CSV 文件本身），返回表头与建议的列对应',
        querystring: Type.Object({ kind: Kind, fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, Strict),
      },
    },
    async (req, reply) => {
      const body = req.body as Readable | undefined;
      if (!body || typeof (body as Readable).pipe !== 'function') {
        throw new DomainError('unsupported_media_type', 415, '请以文件本身作为请求体上传（Content-Type: text/csv 或 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）', [
          { field: 'file', message: '请上传 XLSX 或 CSV 文件' },
        ]);
      }
      const job = await imports.uploadImport(deps, req.ctx, { kind: req.query.kind, fileName: req.query.fileName ?? `${req.query.kind}-import`, body });
      return reply.code(201).send(job);
    },
  );

  r.get(
    '/api/v1/imports',
    { config: { access: IMPORT_ACCESS }, schema: { tags: ['imports'], summary: '导入任务列表（本辖区）', querystring: Type.Object({ ...PageQuery }, Strict) } },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await imports.listImports(deps, req.ctx, { limit, offset })), page, pageSize };
    },
  );

  r.get(
    '/api/v1/imports/:id',
    { config: { access: IMPORT_ACCESS }, schema: { tags: ['imports'], summary: '导入任务状态与进度', params: IdParams } },
    (req) => imports.getImport(deps, req.ctx, req.params.id),
  );

  r.post(
    '/api/v1/imports/:id/validate',
    {
      config: { access: IMPORT_ACCESS },
      schema: {
        tags: ['imports'],
        summary: '按列对应关系校验（试导入，不写入数据），逐行报告问题',
        params: IdParams,
        body: Type.Object(
          { mapping: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Integer({ minimum: 0, maximum: 500 }), { description: '字段 → 文件中的列序号（从 0 起）' })) },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(202).send(await imports.startValidation(deps, req.ctx, req.params.id, req.body.mapping, kick)),
  );

  r.post(
    '/api/v1/imports/:id/commit',
    {
      config: { access: IMPORT_ACCESS },
      schema: {
        tags: ['imports'],
        summary: '正式导入（按编码、证件号、信用代码更新或新增；可从中断处继续）',
        params: IdParams,
        body: Type.Object({ skipInvalid: Type.Optional(Type.Boolean({ description: '跳过校验有误的行' })) }, Strict),
      },
    },
    async (req, reply) => reply.code(202).send(await imports.startCommit(deps, req.ctx, req.params.id, !!req.body.skipInvalid, kick)),
  );

  r.post(
    '/api/v1/imports/:id/cancel',
    { config: { access: IMPORT_ACCESS }, schema: { tags: ['imports'], summary: '取消导入任务（已导入的行保留）', params: IdParams, body: Type.Object({}, Strict) } },
    (req) => imports.cancelImport(deps, req.ctx, req.params.id),
  );

  r.get(
    '/api/v1/imports/:id/issues',
    {
      config: { access: IMPORT_ACCESS },
      schema: { tags: ['imports'], summary: '校验与导入问题报告（行、列、内容、原因）', params: IdParams, querystring: Type.Object({ ...PageQuery }, Strict) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await imports.listIssues(deps, req.ctx, req.params.id, { limit, offset })), page, pageSize };
    },
  );

  r.get(
    '/api/v1/imports/:id/issues/export',
    {
      config: { access: IMPORT_ACCESS },
      schema: { tags: ['imports'], summary: '下载问题报告（XLSX 或 CSV）', params: IdParams, querystring: Type.Object({ format: Type.Optional(Format) }, Strict) },
    },
    async (req, reply) => {
      const { job, rows } = await imports.exportIssues(deps, req.ctx, req.params.id);
      return sendTable(reply, { format: req.query.format ?? 'xlsx', fileName: `导入问题报告-${job.file_name.replace(/\.[^.]+$/, '')}`, sheet: '问题报告', header: imports.ISSUE_HEADER, rows });
    },
  );
}
