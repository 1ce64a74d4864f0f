import { z } from 'zod';

// Every message the Sender posts carries the outbox key in Slack message metadata. After a
// crash, conversations.history (include_all_metadata) tells whether a delivery left 'sending'
// had reached Slack, and which parts of a split digest are there.

const DELIVERY_EVENT_TYPE = 'paperboy_delivery';

export type DeliveryMetadata = { key: string; part: number; parts: number };

export function deliveryMetadata(meta: DeliveryMetadata) {
  return { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: meta.key, part: meta.part, parts: meta.parts } };
}

const MessageWithMetadata = z.looseObject({
  ts: z.string(),
  metadata: z
    .looseObject({
      event_type: z.string().optional(),
      event_payload: z.looseObject({ key: z.string(), part: z.number().int().min(1).optional(), parts: z.number().int().min(1).optional() }).optional(),
    })
    .optional(),
});

/** The delivery metadata of a message from conversations.history/replies, or null when it is not ours. */
export function readDeliveryMetadata(message: unknown): (DeliveryMetadata & { ts: string }) | null {
  const parsed = MessageWithMetadata.safeParse(message);
  if (!parsed.success) return null;
  const meta = parsed.data.metadata;
  if (meta?.event_type !== DELIVERY_EVENT_TYPE || !meta.event_payload) return null;
  const { key, part = 1, parts = 1 } = meta.event_payload;
  return { ts: parsed.data.ts, key, part, parts };
}
