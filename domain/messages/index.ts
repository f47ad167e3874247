import { fill, type Entry, type Lang, type Localized, type Params, type Placeholders } from './catalogue';
import { READINESS_MESSAGES } from './readiness';
import { LIFECYCLE_MESSAGES } from './lifecycle';
import { TASK_MESSAGES } from './tasks';
import { allLabels, labelEntry } from './labels';
import { AUDIT_MESSAGES } from './audit';
import { CONNECTION_MESSAGES } from './connection';
import { WEB_MESSAGES } from './web';
import { formatValue, isFormatKind } from './formats';

export * from './catalogue';

/** The catalogue's areas (the area modules hold the entries); a key is in one area only. */
export const MESSAGE_AREAS = [
  READINESS_MESSAGES,
  LIFECYCLE_MESSAGES,
  TASK_MESSAGES,
  AUDIT_MESSAGES,
  CONNECTION_MESSAGES,
  WEB_MESSAGES,
] as const;

type Catalogue = typeof READINESS_MESSAGES &
  typeof LIFECYCLE_MESSAGES &
  typeof TASK_MESSAGES &
  typeof AUDIT_MESSAGES &
  typeof CONNECTION_MESSAGES &
  typeof WEB_MESSAGES;

let merged: Catalogue | undefined;

/**
 * Every entry of the catalogue in one object, built on first use. `t` reads the areas themselves:
 * the workflow SDK evaluates this module for every workflow it starts, and merging a few hundred
 * entries there cost each new invoice workflow more than the rest of its first step.
 */
export function allMessages(): Catalogue {
  merged ??= Object.assign({}, ...MESSAGE_AREAS) as Catalogue;
  return merged;
}

function entryOf(key: string): Entry {
  for (const area of MESSAGE_AREAS) if (Object.hasOwn(area, key)) return (area as Record<string, Entry>)[key];
  throw new Error(`no message "${key}"`);
}

export type MessageKey = keyof Catalogue;

/** A parameter: a value shown as is in both languages, or a text already in both. */
export type ParamValue = string | number | Localized;

/** The parameters a key needs: exactly its placeholders. */
export type ParamsOf<K extends MessageKey> = { [P in Placeholders<Catalogue[K]['en']>]: ParamValue };

type ParamArgs<K extends MessageKey> = [Placeholders<Catalogue[K]['en']>] extends [never]
  ? []
  : [ParamsOf<K>];

/** The sentence of `key` in both languages. */
export function t<K extends MessageKey>(key: K, ...params: ParamArgs<K>): Localized {
  const entry = entryOf(key);
  const values = (params[0] ?? {}) as Record<string, ParamValue>;
  return { en: fillIn(entry.en, values, 'en'), fr: fillIn(entry.fr, values, 'fr') };
}

function fillIn(template: string, params: Record<string, ParamValue>, lang: Lang): string {
  const inLang: Params = {};
  for (const [name, value] of Object.entries(params))
    inLang[name] = typeof value === 'object' ? value[lang] : value;
  return fill(template, inLang, (kind, value) => labelOf(kind, value, lang));
}

/**
 * The label of a code (`TVA_SUR_DEBIT` → « TVA sur les débits »), a value in a format
 * (`amount`, `duration`, `datetime`, `date`: see formats.ts), or the code itself.
 */
export function labelOf(kind: string, code: string, lang: Lang = 'fr'): string {
  if (isFormatKind(kind)) return formatValue(kind, code, lang);
  const entry = labelEntry(kind, code);
  return entry ? entry[lang] : code;
}

export { allLabels };
export { FORMAT_KINDS, isFormatKind } from './formats';
