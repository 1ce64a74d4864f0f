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

// Read from zod's own JSON Schema of the options (what a field accepts as input: a defaulted field
// is optional), so no zod internals are read. `.meta({ placeholder })` lands in it as is.
const JsonSchemaProperty = z.object({
  type: z.enum(['string', 'integer', 'number', 'boolean']),
  description: z.string().optional(),
  enum: z.array(z.string()).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  minLength: z.number().optional(),
  maxLength: z.number().optional(),
  default: z.unknown().optional(),
  placeholder: z.string().optional(),
});

const JsonSchemaObject = z.object({
  properties: z.record(z.string(), z.unknown()),
  required: z.array(z.string()).optional(),
});

export function optionSpecs(schema: OptionsSchema): OptionSpec[] {
  const json = JsonSchemaObject.parse(z.toJSONSchema(schema, { io: 'input' }));
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties).map(([name, property]) => {
    const parsed = JsonSchemaProperty.safeParse(property);
    if (!parsed.success) throw new Error(`option ${name}: unsupported zod type (${JSON.stringify(property)})`);
    return specOf(name, parsed.data, required.has(name));
  });
}

function specOf(name: string, field: z.infer<typeof JsonSchemaProperty>, required: boolean): OptionSpec {
  const base = {
    name,
    required,
    description: field.description || name,
    defaultValue: field.default,
    ...(field.placeholder ? { placeholder: field.placeholder } : {}),
  };
  if (field.type === 'boolean') return { ...base, type: 'boolean' };
  if (field.enum) return { ...base, type: 'string', choices: field.enum };
  if (field.type === 'integer' || field.type === 'number') {
    return {
      ...base,
      type: field.type,
      ...(field.minimum !== undefined ? { min: field.minimum } : {}),
      ...(field.maximum !== undefined ? { max: field.maximum } : {}),
    };
  }
  return {
    ...base,
    type: 'string',
    ...(field.minLength !== undefined ? { minLength: field.minLength } : {}),
    ...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {}),
  };
}

const truthy = new Set(['true', 'yes', 'y', 'on', '1']);
const falsy = new Set(['false', 'no', 'n', 'off', '0']);

/**
 * Turns text values (Slack, CLI) into the types the schema expects, so `top=10` becomes 10 and
 * `post_when_empty=yes` becomes true. Values that do not convert are left for zod to reject with
 * a clear message. Choices are matched whatever their case.
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
    // A choice in another case (`source=ARXIV`, `sort=Rising`) is that choice.
    else if (spec.choices) out[key] = spec.choices.find((choice) => choice.toLowerCase() === text.toLowerCase()) ?? value;
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
