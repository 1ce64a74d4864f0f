import { describe, expect, it } from 'vitest';
import { timeZoneName } from '../../src/digest/time-zone-name.ts';

// ICU (Node's Intl) still resolves and lists some zones under their old names (Europe/Kiev,
// Asia/Calcutta, Asia/Saigon): the admin's own spelling must survive, only its case is fixed.

describe('timeZoneName', () => {
  it.each([
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['europe/kyiv', 'Europe/Kyiv'],
    ['EUROPE/KYIV', 'Europe/Kyiv'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['asia/kolkata', 'Asia/Kolkata'],
    ['Asia/Ho_Chi_Minh', 'Asia/Ho_Chi_Minh'],
    ['asia/ho_chi_minh', 'Asia/Ho_Chi_Minh'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['america/argentina/buenos_aires', 'America/Argentina/Buenos_Aires'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'Etc/UTC'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
    ['etc/gmt+5', 'Etc/GMT+5'],
    ['GMT', 'GMT'],
    ['est5edt', 'EST5EDT'],
    ['europe/berlin', 'Europe/Berlin'],
    ['america/port-au-prince', 'America/Port-au-Prince'],
    ['africa/dar_es_salaam', 'Africa/Dar_es_Salaam'],
    ['antarctica/dumontdurville', 'Antarctica/DumontDUrville'],
    ['us/eastern', 'US/Eastern'],
    // An old name the admin typed is kept too: it is still a valid IANA link.
    ['Europe/Kiev', 'Europe/Kiev'],
    ['  Europe/Kyiv ', 'Europe/Kyiv'],
    ['Europe/KyIv', 'Europe/Kyiv'],
    ['europe/KYIV', 'Europe/Kyiv'],
  ])('%s → %s', (typed, stored) => {
    expect(timeZoneName(typed)).toBe(stored);
  });

  it.each(['Mars/Olympus', '', 'Europe/', 'Europe//Kyiv', 'Kyiv'])('refuses %j', (typed) => {
    expect(timeZoneName(typed)).toBeNull();
  });
});
