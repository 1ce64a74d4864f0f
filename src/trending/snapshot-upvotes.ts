import type { Store } from '../store/store.ts';
import { SNAPSHOT_RETENTION_MS } from './windows.ts';

/** After an ingest run stored a feed day: the day's upvotes into the history trending reads. */
export function snapshotUpvotes(store: Store, feedDate: string, now: number): Promise<number> {
  return store.recordUpvoteSnapshots(feedDate, now, now - SNAPSHOT_RETENTION_MS);
}
