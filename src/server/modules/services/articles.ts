import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { servicesRepository as repo, type ArticleRow } from './repository.js';
import { ARTICLE_STATUS_NAMES, optText, type ArticleStatus } from './rules.js';

const NOT_FOUND_ARTICLE = '安全提示不存在或不在您的辖区内';

/** `ArticleSummary` of docs/api-portal.md. */
export function presentSummary(a: ArticleRow) {
  return {
    id: a.id,
    title: a.title,
    summary: a.summary,
    publishedAt: a.published_at ? new Date(a.published_at).toISOString() : '',
    orgUnitName: a.org_unit_name,
  };
}

/** `Article`: the summary and the body (plain text, paragraphs separated by blank lines). */
export const presentArticle = (a: ArticleRow) => ({ ...presentSummary(a), body: a.body });

function presentForStaff(a: ArticleRow) {
  return {
    ...presentArticle(a),
    publishedAt: a.published_at ? new Date(a.published_at).toISOString() : null,
    orgUnitId: a.org_unit_id,
    status: a.status,
    statusName: ARTICLE_STATUS_NAMES[a.status as ArticleStatus],
    createdAt: new Date(a.created_at).toISOString(),
    updatedAt: new Date(a.updated_at).toISOString(),
  };
}

export interface ArticleInput {
  orgUnitId?: string;
  title?: string;
  summary?: string | null;
  body?: string;
}

async function check(deps: Deps, scopePath: string, input: ArticleInput) {
  const errors: FieldError[] = [];
  const set: { org_unit_id?: string; title?: string; summary?: string | null; body?: string } = {};
  if (input.orgUnitId !== undefined) {
    if (!(await repo.unitInScope(deps.db, scopePath, input.orgUnitId))) errors.push({ field: 'orgUnitId', message: '发布单位不存在或不在您的辖区内' });
    set.org_unit_id = input.orgUnitId;
  }
  if (input.title !== undefined) {
    const title = input.title.trim();
    if (title.length < 2 || title.length > 60) errors.push({ field: 'title', message: '标题 2–60 个字' });
    set.title = title;
  }
  if (input.summary !== undefined) set.summary = optText(input.summary) ?? null;
  if (input.body !== undefined) {
    const body = input.body.replace(/\r\n?/g, '\n').trim();
    if (body.length < 10) errors.push({ field: 'body', message: '正文至少 10 个字' });
    set.body = body;
  }
  if (errors.length) throw validationError(errors);
  return set;
}

export async function listArticles(deps: Deps, ctx: RequestContext, f: { status?: ArticleStatus }, paging: { limit: number; offset: number }) {
  const { rows, total } = await repo.articlesInScope(deps.db, { scopePath: staffOf(ctx).scopePath, status: f.status }, paging.limit, paging.offset);
  return { items: rows.map(presentForStaff), total };
}

/** A new draft, by default for the caller's own unit. */
export async function createArticle(deps: Deps, ctx: RequestContext, input: ArticleInput & { title: string; body: string }) {
  const me = staffOf(ctx);
  const set = await check(deps, me.scopePath, { ...input, orgUnitId: input.orgUnitId ?? me.orgUnitId });
  const id = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertArticle(trx, { id, org_unit_id: set.org_unit_id!, title: set.title!, summary: set.summary ?? null, body: set.body!, created_by: me.userId });
    await recordAudit(trx, ctx, { action: 'article.create', subjectType: 'safety_article', subjectIds: [id], subjectUnitId: set.org_unit_id, detail: { title: set.title } });
  });
  return presentForStaff((await repo.articleInScope(deps.db, me.scopePath, id))!);
}

async function inScope(deps: Deps, ctx: RequestContext, id: string) {
  const a = await repo.articleInScope(deps.db, staffOf(ctx).scopePath, id);
  if (!a) throw notFound(NOT_FOUND_ARTICLE);
  return a;
}

export async function updateArticle(deps: Deps, ctx: RequestContext, id: string, input: ArticleInput) {
  const me = staffOf(ctx);
  const a = await inScope(deps, ctx, id);
  const set = await check(deps, me.scopePath, input);
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateArticle(trx, id, set, me.userId);
    await recordAudit(trx, ctx, { action: 'article.update', subjectType: 'safety_article', subjectIds: [id], subjectUnitId: a.org_unit_id, detail: { fields: Object.keys(input) } });
  });
  return presentForStaff((await repo.articleInScope(deps.db, me.scopePath, id))!);
}

/** draft / withdrawn → published; published → withdrawn. Anything else is a 409. */
export async function setArticleStatus(deps: Deps, ctx: RequestContext, id: string, to: 'published' | 'withdrawn', now = new Date()) {
  const me = staffOf(ctx);
  const a = await inScope(deps, ctx, id);
  const from: ArticleStatus[] = to === 'published' ? ['draft', 'withdrawn'] : ['published'];
  const refuse = () => conflict(to === 'published' ? '该安全提示已发布' : '只有已发布的安全提示才能撤回', 'status');
  if (!from.includes(a.status as ArticleStatus)) throw refuse();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.setArticleStatus(trx, id, from, to, me.userId, now))) throw refuse();
    await recordAudit(trx, ctx, { action: to === 'published' ? 'article.publish' : 'article.withdraw', subjectType: 'safety_article', subjectIds: [id], subjectUnitId: a.org_unit_id });
  });
  return presentForStaff((await repo.articleInScope(deps.db, me.scopePath, id))!);
}

/** A published article for anyone; drafts and withdrawn ones are 404. */
export async function publicArticle(deps: Deps, id: string) {
  const a = await repo.publishedArticle(deps.db, id);
  if (!a) throw notFound('该安全提示不存在或已撤回');
  return presentArticle(a);
}
