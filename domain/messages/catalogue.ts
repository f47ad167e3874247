/**
 * The machinery of the one message catalogue: every sentence a person reads, in English (the API's
 * language) and French (the back-office's), keyed by a stable name with `{placeholders}`.
 * Domain, workflows, activities, the audit timeline and the web pages all take their texts from
 * here; the catalogue's entries live in the sibling modules, one per area.
 */

export type Lang = 'en' | 'fr';

export interface Entry {
  readonly en: string;
  readonly fr: string;
}

/** A sentence in both languages, as the API returns it. */
export interface Localized {
  en: string;
  fr: string;
}

export type Params = Record<string, string | number>;

/** `{name}` or `{name:labelKind}` (the value shown through `label.<labelKind>.<value>`). */
type PlaceholderName<P extends string> = P extends `${infer N}:${string}` ? N : P;

/** The names of the `{placeholders}` of a template. */
export type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? PlaceholderName<P> | Placeholders<Rest>
  : never;

const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

/**
 * Fills `{name}` placeholders, and `{name:kind}` ones with the label of the value (`labelOf(kind,
 * value)`, e.g. `TVA_SUR_DEBIT` → « TVA sur les débits »); an unknown one stays visible rather
 * than vanishing.
 */
export function fill(
  template: string,
  params: Params = {},
  labelOf: (kind: string, value: string) => string = (_kind, value) => value,
): string {
  return template.replace(PLACEHOLDER, (whole, name: string, kind: string | undefined) => {
    if (!Object.prototype.hasOwnProperty.call(params, name)) return whole;
    const value = String(params[name]);
    return kind ? labelOf(kind, value) : value;
  });
}

/** The placeholder names of a template, sorted (the catalogue test compares both languages). */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
}

/** Joins localized fragments with a separator per language (French puts a space before `;`). */
export function joinLocalized(parts: Localized[], separator: Localized = { en: ' ', fr: ' ' }): Localized {
  return {
    en: parts.map((p) => p.en).join(separator.en),
    fr: parts.map((p) => p.fr).join(separator.fr),
  };
}

/** A text that is the same in both languages (a code, a name). */
export function verbatim(text: string): Localized {
  return { en: text, fr: text };
}
