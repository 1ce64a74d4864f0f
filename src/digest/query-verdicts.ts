import type { Db } from '../store/open-db.ts';

export type QueryVerdict = 'match' | 'not_matching_query' | 'excluded_by_query';

/** PLACEHOLDER until src/search lands: every paper matches. */
export function queryVerdicts(_db: Db, query: string, paperIds: number[]): Map<number, QueryVerdict> {
  return new Map(paperIds.map((id) => [id, query === '' ? 'match' : 'match']));
}
