import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TransientError } from '../errors.ts';
import { dropUnsafeChars } from '../papers/clean-text.ts';

// One XML reader for arXiv's RSS and Atom. Values stay strings (an id like 2410.17240 must never
// become a number), lists are always arrays, attributes are `@_name`, namespaced names kept
// (`arxiv:announce_type`). The body is validated first: fast-xml-parser alone is lenient.

const LISTS = new Set(['item', 'entry', 'category', 'author', 'dc:creator']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => LISTS.has(name),
});

const snippet = (body: string) => body.replace(/\s+/g, ' ').trim().slice(0, 120);

/** The document as plain objects; TransientError when the body is not well-formed XML (a broken page: the next poll retries). */
export function readXml(body: string, what: string): unknown {
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new TransientError(`${what} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}): "${snippet(body)}"`);
  return parser.parse(body);
}

// Entities are not decoded again here: the XML parser did, and `&amp;lt;` must stay the text `&lt;`.
/** Text of an element that may carry attributes (`{ '#text': … }`), unsafe characters dropped, whitespace collapsed. */
export function textOf(value: unknown): string {
  const raw = typeof value === 'string' ? value : typeof value === 'object' && value !== null && '#text' in value ? String(value['#text']) : '';
  return dropUnsafeChars(raw).replace(/\s+/g, ' ').trim();
}

export { snippet };
