import { fill, type Lang, type Localized, type Params, type Placeholders } from './catalogue';
import { READINESS_MESSAGES } from './readiness';
import { LIFECYCLE_MESSAGES } from './lifecycle';
import { TASK_MESSAGES } from './tasks';
import { LABELS } from './labels';
import { AUDIT_MESSAGES } from './audit';
import { CONNECTION_MESSAGES } from './connection';
import { WEB_MESSAGES } from './web';
import { formatValue, isFormatKind } from './formats';

export * from './catalogue';

/** Every entry of the catalogue (the area modules hold them). */
export const MESSAGES = {
  ...READINESS_MESSAGES,
  ...LIFECYCLE_MESSAGES,
  ...TASK_MESSAGES,
  ...AUDIT_MESSAGES,
  ...CONNECTION_MESSAGES,
  ...WEB_MESSAGES,
} as const;

export type MessageKey = keyof typeof MESSAGES;

/** A parameter: a value shown as is in both languages, or a text already in both. */
export type ParamValue = string | number | Localized;

/** The parameters a key needs: exactly its placeholders. */
export type ParamsOf<K extends MessageKey> = { [P in Placeholders<(typeof MESSAGES)[K]['en']>]: ParamValue };

type ParamArgs<K extends MessageKey> = [Placeholders<(typeof MESSAGES)[K]['en']>] extends [never]
  ? []
  : [ParamsOf<K>];

/** The sentence of `key` in both languages. */
export function t<K extends MessageKey>(key: K, ...params: ParamArgs<K>): Localized {
  const entry = MESSAGES[key];
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
  const entry = LABELS[`label.${kind}.${code}`];
  return entry ? entry[lang] : code;
}

export { LABELS };
export { FORMAT_KINDS, isFormatKind } from './formats';
