import type { Db } from './open-db.ts';

/**
 * Statements prepared once per connection. Preparing a statement that writes `papers` compiles its
 * full-text triggers each time (milliseconds), so the hot write paths keep theirs per connection.
 */
export function preparedOnce<T>(prepare: (client: Db['$client']) => T): (client: Db['$client']) => T {
  const cache = new WeakMap<Db['$client'], T>();
  return (client) => {
    let prepared = cache.get(client);
    if (prepared === undefined) {
      prepared = prepare(client);
      cache.set(client, prepared);
    }
    return prepared;
  };
}
