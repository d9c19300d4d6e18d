import type { Kysely } from 'kysely';
import type { Deps } from '../../../deps.js';
import type { DB, ImportKind } from '../../../db/schema.js';
import type { RequestContext } from '../../../platform/access/context.js';
import type { Permission } from '../../../platform/access/permissions.js';
import type { FieldError } from '../../../platform/errors/index.js';
import type { ColumnDef, RowValues } from '../cells.js';

/** What a kind's code works with while a job runs: the creator's context and scope. */
export interface JobEnv {
  deps: Deps;
  ctx: RequestContext;
  scopePath: string;
  /** The creator's own org unit: where records without an address or unit code are placed. */
  orgUnitId: string;
  /** That unit with its county (null above county level): the default placement of new records. */
  home: { id: string; county: string | null };
  jobId: string;
  today: string;
}

export interface ParsedRow<P> {
  rowNo: number;
  value: P;
}

export type RowAction = 'create' | 'update' | 'unchanged';

/** A row's fate against the registry: what it would do (dry run) or did (commit), or why it cannot. */
export type RowPlan = { rowNo: number; action: RowAction; recordId?: string } | { rowNo: number; errors: FieldError[] };

/**
 * Called by a kind with the batch's outcome once its writes are done, inside the same transaction when the kind
 * writes the batch in one (so the job's cursor moves with the data).
 */
export type BatchDone = (db: Kysely<DB>, plans: RowPlan[]) => Promise<void>;

/** One kind of import: its template, how a row is read, and how rows are matched and written. */
export interface ImportKindDef<P> {
  kind: ImportKind;
  title: string;
  /** The permission to write this kind of record. */
  permission: Permission;
  /** The import centre's permission this kind also needs: `registry.import` unless given (110 records: `incident.import`). */
  centre?: Permission;
  columns: ColumnDef[];
  /** Fields whose values are shown masked in the report. */
  maskedFields?: string[];
  /** Reads one row; errors go to `v.errors` (the row is then not planned). */
  parse(v: RowValues, env: JobEnv): P | undefined;
  /** The record key (code, identity blind index, credit code): a key repeated in the file is reported. */
  key(p: P): string;
  /** What each row would do, without writing. */
  plan(env: JobEnv, rows: ParsedRow<P>[]): Promise<RowPlan[]>;
  /** Writes the rows (create or update; unchanged rows are not touched) and calls `done`. */
  commit(env: JobEnv, rows: ParsedRow<P>[], done: BatchDone): Promise<void>;
}
