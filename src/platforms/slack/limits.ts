// Slack's limits, in one place. Sources: Block Kit reference (per-field maxima), chat.postMessage
// and response_url docs, and what Slack answered when tried (the undocumented total-size limit).

/** Blocks per message (chat.postMessage, response_url). */
export const MAX_BLOCKS_PER_MESSAGE = 50;
/** Blocks in an App Home view (views.publish). */
export const MAX_BLOCKS_PER_VIEW = 100;
/** Text of a section block. */
export const MAX_SECTION_TEXT = 3000;
/** Fields of a section block, and the text of each. */
export const MAX_SECTION_FIELDS = 10;
export const MAX_FIELD_TEXT = 2000;
/** Text of a context element. Slack documents no per-element maximum; we keep each under a field's. */
export const MAX_CONTEXT_TEXT = 2000;
/** Text of a header block (plain_text). */
export const MAX_HEADER_TEXT = 150;
/** The value a button sends back. */
export const MAX_BUTTON_VALUE = 2000;
/** Image URL and alt text of an image element. */
export const MAX_IMAGE_URL = 3000;
export const MAX_ALT_TEXT = 2000;
/** Link URL inside mrkdwn: Slack drops longer ones, so we leave the link out instead. */
export const MAX_LINK_URL = 3000;
/**
 * Slack rejects a message whose blocks carry too much text in total (`msg_blocks_too_long`,
 * undocumented, observed around 12–13k characters). We pack each message to at most this many
 * characters of block text, which leaves room for the JSON around them.
 */
export const MAX_BLOCK_TEXT_PER_MESSAGE = 10_000;
/** The top-level `text` fallback (notifications, screen readers). Slack truncates at 40k; we keep it short. */
export const MAX_FALLBACK_TEXT = 3000;
/** Watches listed in App Home before "and N more" (each takes one block of the 100). */
export const MAX_HOME_WATCHES = 40;
/** Recent alerts listed in App Home. */
export const MAX_HOME_ALERTS = 5;
