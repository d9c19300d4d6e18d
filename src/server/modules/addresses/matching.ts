import { CN_NUMERAL, cleanText, cnToInt, intToCn, normaliseName, roadKey, type Level } from './rules.js';

/**
 * Free-text address matching: turn what someone typed ("黄河十二路599号香园小区3-2-501") into typed
 * elements, then score candidates from the trigram search by how many of those elements they contain.
 * Pure functions; the trigram part (T) comes from PostgreSQL.
 */

export interface QueryElement {
  level: Level;
  /** Comparison key, the same as `normaliseName(level, name).key` of a stored element. */
  key: string;
  /** The element as it would be stored. */
  text: string;
}

export interface ParsedQuery {
  /** The cleaned query without the administrative prefix, with shorthands expanded: what the trigram search compares. */
  text: string;
  elements: QueryElement[];
}

/** Rank of each level from coarse to fine, for "below" comparisons in the query grammar. */
const DEPTH: Record<Level, number> = { road: 1, village: 1, group: 2, door: 3, compound: 4, building: 5, unit: 6, floor: 7, room: 8 };

/**
 * Cleans the text (full-width → ASCII, no spaces or punctuation but `-` and `#`), strips the names in
 * `prefixes` (province, city, county, street, community of the caller's grids) from its start, writes
 * Chinese numerals before 号楼/栋/单元/层/室/组 as digits and digits in road names as Chinese numerals.
 */
export function normaliseQuery(raw: string, prefixes: readonly string[]): string {
  let s = cleanText(raw).replace(/[^\p{L}\p{N}\-#]/gu, '');
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of prefixes) {
      if (p && s.startsWith(p) && s.length > p.length) {
        s = s.slice(p.length);
        changed = true;
      }
    }
  }
  s = s.replace(/第(\d+)/g, '$1');
  s = s.replace(new RegExp(`第?(${CN_NUMERAL})(?=号楼|号院|栋|幢|座|单元|层|楼|组|队|村民小组|室|户)`, 'g'), (m, n: string) => String(cnToInt(n) ?? m));
  s = s.replace(/(\D)(\d{1,3})(?=大道|大街|路|街|巷|胡同|弄)/g, (_m, pre: string, n: string) => pre + intToCn(Number(n)));
  return s;
}

const push = (out: QueryElement[], level: Level, raw: string) => {
  const n = normaliseName(level, raw);
  if ('error' in n) return;
  out.push({ level, key: n.key, text: n.name });
};

/** Splits a run of text without digits into road / village / compound elements. */
function parseWords(run: string, out: QueryElement[]) {
  let rest = run.replace(/^[-#]+|[-#]+$/g, '');
  while (rest.length >= 2) {
    const road = /^(.+?(?:大道|大街|路|街|巷|胡同|弄))(.*)$/u.exec(rest);
    if (road) {
      push(out, 'road', road[1]);
      rest = road[2];
      continue;
    }
    const village = /^(.+?(?:村|庄|屯|寨))(.*)$/u.exec(rest);
    if (village && village[1].length >= 2 && !/小区|公寓|花园|大厦/.test(village[1])) {
      push(out, 'village', village[1]);
      rest = village[2];
      continue;
    }
    push(out, 'compound', rest);
    return;
  }
}

/**
 * Reads the elements of a normalised query left to right. Numbers take their meaning from their suffix
 * (号 door, 号楼/栋/幢/座 building, 单元 unit, 层 floor, 室/户 room, 组 group) or, when bare, from what came
 * before them: after a road/village/group a door, after a building/unit/floor a room, after a compound a
 * building. `3-2-501` is building-unit-room; `3-501` after a compound is building-room.
 */
export function parseQuery(text: string): QueryElement[] {
  const out: QueryElement[] = [];
  let rest = text;
  const last = (): Level | undefined => out.at(-1)?.level;
  const has = (l: Level) => out.some((e) => e.level === l);
  while (rest.length) {
    let m: RegExpExecArray | null;
    if ((m = /^(\d+)-(\d+)-(\d+)(?:室|户|房)?(?!\d|号)/.exec(rest))) {
      push(out, 'building', m[1]);
      push(out, 'unit', m[2]);
      push(out, 'room', m[3]);
    } else if ((m = /^([甲乙丙丁]?\d+(?:-\d+)?)号(?![楼院])/.exec(rest))) {
      push(out, 'door', m[1]);
    } else if ((m = /^(\d+|[A-Za-z])(号楼|栋|幢|座|#楼|#)/.exec(rest))) {
      push(out, 'building', m[0]);
    } else if ((m = /^(\d+)单元/.exec(rest))) {
      push(out, 'unit', m[1]);
    } else if ((m = /^(?:-|负|地下|[Bb])(\d+)(?:层|楼)/.exec(rest))) {
      push(out, 'floor', `-${m[1]}`);
    } else if ((m = /^(\d+)层/.exec(rest))) {
      push(out, 'floor', m[1]);
    } else if ((m = /^(\d+)楼/.exec(rest))) {
      push(out, has('building') ? 'floor' : 'building', m[1]);
    } else if ((m = /^(\d+)(?:组|队|村民小组)/.exec(rest))) {
      push(out, 'group', m[1]);
    } else if ((m = /^(\d+(?:-\d+)?)(?:室|户|房)/.exec(rest))) {
      push(out, 'room', m[1]);
    } else if ((m = /^(\d+)-(\d+)(?!\d|号)/.exec(rest))) {
      const l = last();
      if (!l || l === 'road' || l === 'village' || l === 'group') push(out, 'door', `${m[1]}-${m[2]}`);
      else {
        push(out, 'building', m[1]);
        push(out, 'room', m[2]);
      }
    } else if ((m = /^\d+/.exec(rest))) {
      const l = last();
      if (!l || l === 'road' || l === 'village' || l === 'group') push(out, 'door', m[0]);
      else if (l === 'building' || l === 'unit' || l === 'floor') push(out, 'room', m[0]);
      else if (l === 'compound' || l === 'door') push(out, 'building', m[0]);
    } else {
      m = /^[^\d]+/.exec(rest)!;
      parseWords(m[0], out);
    }
    rest = rest.slice(m[0].length);
  }
  return out;
}

export function parseAddressQuery(raw: string, prefixes: readonly string[]): ParsedQuery {
  const text = normaliseQuery(raw, prefixes);
  const elements = parseQuery(text);
  // the trigram side compares the elements as they would be stored (3-2-501 → 3号楼2单元501室)
  const canonical = elements.length ? elements.map((e) => e.text).join('') : text;
  return { text: canonical, elements };
}

export interface ChainElement {
  level: Level;
  name: string;
}

export interface ElementScore {
  /** Query elements found, with the same key, at the same level of the candidate's chain. */
  matched: number;
  /** Candidate elements below the deepest matched one (the candidate is more specific than asked). */
  extra: number;
  /** matched / (query elements + extra), 0 when the query has no elements. */
  e: number;
}

/** The element part of the score; `chain` runs from the top-level element down to the candidate. */
export function elementScore(query: readonly QueryElement[], chain: readonly ChainElement[]): ElementScore {
  if (query.length === 0) return { matched: 0, extra: 0, e: 0 };
  const keys = chain.map((c) => {
    const n = normaliseName(c.level, c.name);
    return { level: c.level, key: 'error' in n ? (c.level === 'road' ? roadKey(c.name) : c.name) : n.key };
  });
  let matched = 0;
  let deepest = -1;
  for (const q of query) {
    const i = keys.findIndex((k) => k.level === q.level && k.key === q.key);
    if (i >= 0) {
      matched++;
      deepest = Math.max(deepest, i);
    }
  }
  const extra = deepest >= 0 ? keys.length - 1 - deepest : 0;
  return { matched, extra, e: matched / (query.length + extra) };
}

export const ELEMENT_WEIGHT = 0.7;
export const TRIGRAM_WEIGHT = 0.3;
/** Candidates scoring below this are not returned. */
export const MIN_SCORE = 0.4;
/** word_similarity threshold of the trigram candidate search. */
export const TRIGRAM_THRESHOLD = 0.3;

/** score = 0.7·E + 0.3·T, or T alone when nothing in the query could be read as an element. Rounded to 3 places. */
export function combinedScore(e: ElementScore, t: number, hasElements: boolean): number {
  const s = hasElements ? ELEMENT_WEIGHT * e.e + TRIGRAM_WEIGHT * t : t;
  return Math.round(Math.min(1, Math.max(0, s)) * 1000) / 1000;
}

/** The stored names the finest query element can have (to pull exact hits into the candidate set). */
export function finestNames(elements: readonly QueryElement[]): { level: Level; names: string[] } | undefined {
  if (!elements.length) return undefined;
  const finest = elements.reduce((a, b) => (DEPTH[b.level] >= DEPTH[a.level] ? b : a));
  const names = new Set([finest.text]);
  if (finest.level === 'building' && /^\d+$/.test(finest.key)) for (const s of ['号楼', '栋', '幢', '座']) names.add(finest.key + s);
  if (finest.level === 'building' && /^[A-Z]$/.test(finest.key)) for (const s of ['座', '栋', '幢', '号楼']) names.add(finest.key + s);
  if (finest.level === 'group') for (const s of ['组', '队']) names.add(finest.key + s);
  return { level: finest.level, names: [...names] };
}
