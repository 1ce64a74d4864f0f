import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coerceOptions, optionSpecs, usageLine } from '../../commands/option-specs.ts';

const schema = z.object({
  query: z.string().min(1).max(500).describe('What to search for'),
  limit: z.number().int().min(1).max(25).default(5).describe('How many'),
  sort: z.enum(['upvotes', 'new']).optional().describe('Order'),
  time: z.string().optional().meta({ placeholder: 'HH:MM' }).describe('When'),
  loud: z.boolean().optional().describe('Shout'),
});

describe('optionSpecs', () => {
  it('reads types, bounds, choices, defaults, descriptions and placeholders from zod', () => {
    expect(optionSpecs(schema)).toEqual([
      { name: 'query', type: 'string', required: true, description: 'What to search for', defaultValue: undefined, minLength: 1, maxLength: 500 },
      { name: 'limit', type: 'integer', required: false, description: 'How many', defaultValue: 5, min: 1, max: 25 },
      { name: 'sort', type: 'string', required: false, description: 'Order', defaultValue: undefined, choices: ['upvotes', 'new'] },
      { name: 'time', type: 'string', required: false, description: 'When', defaultValue: undefined, placeholder: 'HH:MM' },
      { name: 'loud', type: 'boolean', required: false, description: 'Shout', defaultValue: undefined },
    ]);
  });

  it('coerces text values and leaves the unconvertible for zod to reject', () => {
    expect(coerceOptions(schema, { limit: '7', loud: 'yes', query: 'x', sort: 'new' })).toEqual({ limit: 7, loud: true, query: 'x', sort: 'new' });
    expect(coerceOptions(schema, { limit: 'seven', loud: 'maybe' })).toEqual({ limit: 'seven', loud: 'maybe' });
  });

  it('takes a choice in any case, and leaves what is no choice for zod to reject', () => {
    expect(coerceOptions(schema, { sort: 'NEW' })).toEqual({ sort: 'new' });
    expect(coerceOptions(schema, { sort: ' Upvotes ' })).toEqual({ sort: 'upvotes' });
    expect(coerceOptions(schema, { sort: 'newest' })).toEqual({ sort: 'newest' });
    expect(schema.safeParse(coerceOptions(schema, { sort: 'newest' })).success).toBe(false);
  });

  it('writes usage lines with the free-text option in angle brackets', () => {
    expect(usageLine('search', schema, 'query')).toBe('search <query> [limit=1-25] [sort=upvotes|new] [time=HH:MM] [loud=yes|no]');
  });
});
