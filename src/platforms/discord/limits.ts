// Discord's limits, in one place, from the Discord API reference (message, embed, component and
// application command objects). discord.js checks none of the per-message totals, so
// render-embeds.ts enforces them itself.

/** Embeds per message. */
export const MAX_EMBEDS = 10;
/** Title, description, fields and footer of all embeds of one message together (`embedLength`). */
export const MAX_EMBED_TOTAL = 6000;
export const MAX_EMBED_TITLE = 256;
export const MAX_EMBED_DESCRIPTION = 4096;
export const MAX_EMBED_FIELDS = 25;
export const MAX_FIELD_NAME = 256;
export const MAX_FIELD_VALUE = 1024;
export const MAX_FOOTER_TEXT = 2048;
/** Embed, thumbnail and link URLs: Discord rejects longer ones, so we leave them out instead. */
export const MAX_URL = 2048;

/** A button's `custom_id` (and any component's). */
export const MAX_CUSTOM_ID = 100;
/** A button's label. */
export const MAX_BUTTON_LABEL = 80;

/** `nonce` on message create: an integer or a string of at most 25 characters. */
export const MAX_NONCE = 25;

/** Autocomplete: at most 25 choices, names and values at most 100 characters. */
export const MAX_CHOICES = 25;
export const MAX_CHOICE_NAME = 100;
export const MAX_CHOICE_VALUE = 100;

/** Application command and option descriptions. */
export const MAX_COMMAND_DESCRIPTION = 100;
/** Options per command or subcommand, and subcommands per command or group. */
export const MAX_OPTIONS = 25;

/** The first interaction response must arrive within 3 s; we defer well before that. */
export const DEFER_AFTER_MS = 2000;
