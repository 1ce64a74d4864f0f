// The zone name a digest stores: the IANA name the admin typed, with its case fixed.
//
// Intl cannot give it: Node's ICU resolves (and `supportedValuesOf` lists) some zones under their
// old names, so `Europe/Kyiv` would come back as `Europe/Kiev`, `Asia/Kolkata` as
// `Asia/Calcutta`. Both are valid IANA names for the same zone, so the admin's choice is kept:
// each segment takes the spelling of a known zone's segment (`dar_es_salaam` →
// `Dar_es_Salaam`), else capitalised words (`kyiv` → `Kyiv`, `ho_chi_minh` → `Ho_Chi_Minh`).

/** IANA names ICU does not list (aliases, fixed offsets) whose case is not capitalised words. */
const extraSegments = ['UTC', 'UCT', 'GMT', 'GMT0', 'Etc', 'US', 'EST', 'MST', 'HST', 'EST5EDT', 'CST6CDT', 'MST7MDT', 'PST8PDT', 'CET', 'EET', 'WET', 'MET', 'PRC', 'ROC', 'ROK', 'NZ', 'NZ-CHAT', 'GB', 'GB-Eire', 'W-SU'];

/** Current IANA names of zones ICU lists under an old one: offered by autocomplete too. */
const currentNames: Record<string, string> = {
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Coral_Harbour': 'America/Atikokan',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
};

/** Zone names to suggest: UTC and every zone Intl knows, each under its current IANA name. */
export function timeZoneChoices(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').map((zone) => currentNames[zone] ?? zone)];
}

let knownSegments: Map<string, string> | undefined;

function segmentSpellings(): Map<string, string> {
  if (!knownSegments) {
    knownSegments = new Map();
    for (const zone of [...extraSegments, ...Intl.supportedValuesOf('timeZone')]) {
      for (const segment of zone.split('/')) knownSegments.set(segment.toLowerCase(), segment);
    }
  }
  return knownSegments;
}

function resolvedZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** `ho_chi_minh` → `Ho_Chi_Minh`, `gmt+5` → `GMT+5` (offsets keep GMT upper case). */
function capitalised(segment: string): string {
  const offset = /^(gmt|utc)([+-]\d{1,2})$/i.exec(segment);
  if (offset) return `${(offset[1] ?? '').toUpperCase()}${offset[2] ?? ''}`;
  return segment.toLowerCase().replace(/(^|[_-])([a-z])/g, (_, sep: string, letter: string) => `${sep}${letter.toUpperCase()}`);
}

/**
 * The IANA name to store for what the admin typed (`europe/kyiv` → `Europe/Kyiv`), or null when
 * it is not a time zone.
 */
export function timeZoneName(typed: string): string | null {
  const name = typed.trim();
  const resolved = name === '' ? null : resolvedZone(name);
  if (resolved === null) return null;
  const known = segmentSpellings();
  // Offsets like Etc/GMT+5 resolve to themselves: their spelling is the resolved one.
  const own = new Map(resolved.split('/').map((segment) => [segment.toLowerCase(), segment]));
  const fixed = name
    .split('/')
    .map((segment) => known.get(segment.toLowerCase()) ?? own.get(segment.toLowerCase()) ?? capitalised(segment))
    .join('/');
  // The fixed spelling must name the same zone (it always does: IANA names are case-insensitive).
  return resolvedZone(fixed) === resolved ? fixed : resolved;
}
