import type { TestApp } from '../support/app.js';

/** One demo account as the matrix sees it. */
export interface Actor {
  username: string;
  token: string;
  userId: string;
  orgUnitId: string;
  orgUnitCode: string;
  orgKind: string;
  permissions: Set<string>;
  /** A department inside the actor's own unit. */
  deptId: string;
  /** A throwaway user inside the actor's own unit, safe to modify. */
  victimId: string;
}

export interface Sample {
  url: string;
  body?: unknown;
  /** Request headers beyond the token (e.g. the content type of an uploaded file). */
  headers?: Record<string, string>;
}

export interface Spec {
  /** A request inside the actor's jurisdiction. */
  own(a: Actor): Sample;
  /** The same request aimed outside it; `expect` lists the statuses an allowed caller must get. */
  foreign?: { sample(a: Actor): Sample; expect: number[] };
  /** Statuses an allowed caller may get inside the jurisdiction (default: any 2xx). */
  ownOk?: number[];
  /** For lists and exports: the response must reveal nothing from outside the jurisdiction. */
  noLeak?: boolean;
  /** The call ends the session (logout): run it on a fresh token. */
  fresh?: boolean;
}

/**
 * What every module's specs may use. `foreignIds` and `foreignWords` are what no response to a demo account
 * may contain; modules add to them in `setup`.
 */
export interface Fixtures {
  t: TestApp;
  next(): number;
  /** Ids of records in the foreign branch (沾化分局), by name, filled by the modules' setups. */
  foreign: Record<string, string>;
  foreignIds: string[];
  foreignWords: string[];
}

export interface ModuleSpecs {
  /** Creates the module's foreign (and, if needed, per-actor) records before the matrix runs. */
  setup?(fx: Fixtures, actors: Actor[]): Promise<void>;
  specs(fx: Fixtures): Record<string, Spec>;
}
