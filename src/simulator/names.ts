/** Word lists for generated tenants: Dutch names, departments, shifts, functions and absences. */

export const FIRST_NAMES: readonly string[] = [
  'Anouk Sanne Daan Sem Noël Zoë René Chloë Eloïse Loïs Joëlle Anaïs Hélène Esmée',
  'Renée Daniëlle Thijs Lotte Femke Bram Ruben Inge Marieke Kees Jeroen Ingrid',
  'Michiel Priya Mehmet Fatima Youssef Sophie Julia Emma Lars Niels Wouter Ilse',
  'Annemiek Gijs Mirjam Henk Truus Geert Bas Roos Floor Maaike Sjoerd Wietske',
]
  .join(' ')
  .split(' ');

export const SURNAMES: readonly string[] = [
  'Jansen Vries Berg Dijk Bakker Janssen Visser Smit Meijer Boer Mulder Groot Bos',
  'Vos Peters Hendriks Leeuwen Dekker Brouwer Wit Dijkstra Smits Graaf Meer Linden',
  'Kok Jacobs Haan Vermeulen Heuvel Veen Broek Bruijn Jong Hoekstra Koç Yılmaz',
  'Hoek Wal Schouten Kramer Willems Maas Verhoeven Koster Prins Blom Huisman Sluis',
  'Goossens',
]
  .join(' ')
  .split(' ');

/** Surname prefixes (tussenvoegsels) with their weight; the empty prefix is the most common. */
export const PREFIXES: readonly (readonly [string, number])[] = [
  ['', 55],
  ['van', 12],
  ['de', 12],
  ['van der', 8],
  ['van den', 5],
  ['van de', 4],
  ['ter', 2],
  ["in 't", 2],
];

export const DIVISIONS: readonly (readonly [string, string])[] = [
  ['ZRG', 'Zorg'],
  ['BEH', 'Behandeling'],
  ['FAC', 'Facilitair'],
  ['OND', 'Ondersteuning'],
];

export const DEPARTMENTS: readonly (readonly [string, string])[] = [
  ['CAR', 'Cardiologie'],
  ['NEU', 'Neurologie'],
  ['ONC', 'Oncologie'],
  ['CHI', 'Chirurgie'],
  ['INT', 'Interne Geneeskunde'],
  ['KIN', 'Kindergeneeskunde'],
  ['GER', 'Geriatrie'],
  ['LON', 'Longziekten'],
  ['ORT', 'Orthopedie'],
  ['SEH', 'Spoedeisende Hulp'],
  ['ICU', 'Intensive Care'],
  ['VER', 'Verloskunde'],
  ['PSY', 'Psychiatrie'],
  ['REV', 'Revalidatie'],
  ['DIA', 'Dialyse'],
  ['RAD', 'Radiologie'],
  ['URO', 'Urologie'],
  ['MDL', 'Maag-, Darm- en Leverziekten'],
  ['REU', 'Reumatologie'],
  ['HEM', 'Hematologie'],
  ['THN', 'Thuiszorg Noord'],
  ['THZ', 'Thuiszorg Zuid'],
  ['WEH', 'Woonzorg De Eikenhof'],
  ['WHB', 'Woonzorg Het Baken'],
];

/** Functions on the floor (`prop` of a roster part), weighted. */
export const FUNCTIONS: readonly (readonly [{ uname: string; name: string }, number])[] = [
  [{ uname: 'VP', name: 'Verpleegkundige' }, 40],
  [{ uname: 'VZ', name: 'Verzorgende' }, 25],
  [{ uname: 'LL', name: 'Leerling verpleegkundige' }, 8],
  [{ uname: 'ARTS', name: 'Arts-assistent' }, 8],
  [{ uname: 'SEC', name: 'Secretaresse' }, 6],
  [{ uname: 'TL', name: 'Teamleider' }, 5],
];

/** Shift codes in both time formats, night shifts, and codes without times. */
export const SHIFTS = {
  early: { uname: '07:00-15:30 Vroeg', name: 'Vroege dienst' },
  late: { uname: '15:00-23:30 Laat', name: 'Late dienst' },
  night: { uname: '22:00-07:00 Nacht', name: 'Nachtdienst' },
  nightCompact: { uname: '2300-0715', name: 'Nachtdienst kort' },
  day: { uname: '0830-1700', name: 'Dagdienst' },
  dayLong: { uname: '08:00-16:30 Dag', name: 'Dagdienst lang' },
  evening: { uname: '1800-2200', name: 'Avonddienst' },
  onCall: { uname: 'Bereikbaarheidsdienst', name: 'Bereikbaarheidsdienst' },
  training: { uname: 'Scholing', name: 'Scholing' },
  splitMorning: { uname: '07:00-11:00 Gebroken', name: 'Gebroken dienst ochtend' },
  splitEvening: { uname: '17:00-21:00 Gebroken', name: 'Gebroken dienst avond' },
} as const;

export type ShiftName = keyof typeof SHIFTS;

/** The first shift of a working day, weighted. */
export const MAIN_SHIFTS: readonly (readonly [ShiftName, number])[] = [
  ['early', 25],
  ['late', 20],
  ['night', 8],
  ['nightCompact', 6],
  ['day', 15],
  ['dayLong', 10],
  ['onCall', 4],
  ['training', 4],
];

export const ABSENCES = [
  { uname: 'ZIEK', name: 'Ziekte' },
  { uname: 'VAK', name: 'Vakantie' },
  { uname: 'BVL', name: 'Bijzonder verlof' },
] as const;

export const USER_GROUPS: readonly (readonly [string, number])[] = [
  ['Medewerkers', 85],
  ['Planners', 10],
  ['Root', 5],
];

export const SERVICE_ACCOUNTS = [
  'functioneel.beheer',
  'planning@zorggroep-oost.nl',
  'HelloID koppeling',
  'roosterbureau',
] as const;

export const MAIL_DOMAIN = 'zorggroep-oost.nl';
