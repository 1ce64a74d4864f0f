import { z } from 'zod';
import type { OptionsSchema } from './define-command.ts';

// The one place that reads a command's zod options as plain facts. Discord registration, the
// Slack/CLI text parser, usage lines and option coercion all derive from this.

export type OptionSpec = {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  required: boolean;
  description: string;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  choices?: string[];
  defaultValue?: unknown;
  /** How the value looks in usage lines (`HH:MM`), from `.meta({ placeholder })`. */
  placeholder?: string;
};

const Meta = z.looseObject({ placeholder: z.string().optional() });

function placeholderOf(schema: AnyZod): string | undefined {
  const parsed = Meta.safeParse(z.globalRegistry.get(schema) ?? {});
  return parsed.success ? parsed.data.placeholder : undefined;
}

type AnyZod = z.ZodType;

function defOf(schema: AnyZod): { type: string; innerType?: AnyZod; defaultValue?: unknown } {
  return schema._zod.def as unknown as { type: string; innerType?: AnyZod; defaultValue?: unknown };
}

export function optionSpecs(schema: OptionsSchema): OptionSpec[] {
  return Object.entries(schema.shape as Record<string, AnyZod>).map(([name, field]) => specOf(name, field));
}

function specOf(name: string, field: AnyZod): OptionSpec {
  let current: AnyZod = field;
  let required = true;
  let defaultValue: unknown;
  let description = field.description ?? '';
  let placeholder = placeholderOf(field);
  for (;;) {
    const def = defOf(current);
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) {
      required = false;
      if (def.type === 'default') {
        const value = def.defaultValue;
        defaultValue = typeof value === 'function' ? (value as () => unknown)() : value;
      }
      current = def.innerType;
      description ||= current.description ?? '';
      placeholder ??= placeholderOf(current);
      continue;
    }
    break;
  }
  const base = { name, required, description: description || name, defaultValue, ...(placeholder ? { placeholder } : {}) };
  const def = defOf(current);
  if (def.type === 'boolean') return { ...base, type: 'boolean' };
  if (def.type === 'enum') {
    const options = (current as unknown as { options: string[] }).options;
    return { ...base, type: 'string', choices: [...options] };
  }
  if (def.type === 'number') {
    const num = current as unknown as { minValue: number | null; maxValue: number | null; format?: string | null; isInt?: boolean };
    const isInt = num.isInt === true || (num.format ?? '').includes('int');
    return {
      ...base,
      type: isInt ? 'integer' : 'number',
      ...(num.minValue !== null && Number.isFinite(num.minValue) ? { min: num.minValue } : {}),
      ...(num.maxValue !== null && Number.isFinite(num.maxValue) ? { max: num.maxValue } : {}),
    };
  }
  if (def.type === 'string') {
    const str = current as unknown as { minLength: number | null; maxLength: number | null };
    return {
      ...base,
      type: 'string',
      ...(str.minLength !== null ? { minLength: str.minLength } : {}),
      ...(str.maxLength !== null ? { maxLength: str.maxLength } : {}),
    };
  }
  throw new Error(`option ${name}: unsupported zod type ${def.type}`);
}

const truthy = new Set(['true', 'yes', 'y', 'on', '1']);
const falsy = new Set(['false', 'no', 'n', 'off', '0']);

/**
 * Turns text values (Slack, CLI) into the types the schema expects, so `top=10` becomes 10 and
 * `post_when_empty=yes` becomes true. Values that do not convert are left for zod to reject with
 * a clear message.
 */
export function coerceOptions(schema: OptionsSchema, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const specs = new Map(optionSpecs(schema).map((spec) => [spec.name, spec]));
  for (const [key, value] of Object.entries(raw)) {
    const spec = specs.get(key);
    if (value === undefined || value === null) continue;
    if (!spec || typeof value !== 'string') {
      out[key] = value;
      continue;
    }
    const text = value.trim();
    if ((spec.type === 'integer' || spec.type === 'number') && /^[+-]?\d+(\.\d+)?$/.test(text)) out[key] = Number(text);
    else if (spec.type === 'boolean' && truthy.has(text.toLowerCase())) out[key] = true;
    else if (spec.type === 'boolean' && falsy.has(text.toLowerCase())) out[key] = false;
    else out[key] = value;
  }
  return out;
}

/** `search <query> [limit:1-25]`, for usage replies and help. */
export function usageLine(name: string, schema: OptionsSchema, rest?: string): string {
  const parts = optionSpecs(schema).map((spec) => {
    const hint = spec.placeholder ? spec.placeholder : spec.choices ? spec.choices.join('|') : spec.type === 'boolean' ? 'yes|no' : spec.min !== undefined && spec.max !== undefined ? `${spec.min}-${spec.max}` : spec.type === 'string' ? 'text' : 'n';
    const body = spec.name === rest ? `<${spec.name}>` : `${spec.name}=${hint}`;
    return spec.required ? body : `[${body}]`;
  });
  return [name, ...parts].join(' ');
}
