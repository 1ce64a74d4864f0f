import { MessageSchema, type Message } from './message.ts';

/** A message the outbox stored as JSON; still parsed, so a damaged payload fails loudly where it is read. */
export function parseStoredMessage(payload: string): Message {
  return MessageSchema.parse(JSON.parse(payload));
}
