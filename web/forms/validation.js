// An answer checked before it is sent, with the rules the workflow checks it with (served by the
// API from its zod schemas), so a person reads what is wrong in French, next to the field.

import { tr } from '../i18n.js';
import { FIELD_RULES } from '../rules.js';

/** The rule of a field the workflow knows (`references.engagementNumber`…), or none. */
export const ruleOf = (field) => FIELD_RULES[field];

/** What is wrong with `value` for `field`, or undefined. Empty values are the caller's to judge. */
export function problemWith(field, value, { refusedAnswer } = {}) {
  if (refusedAnswer !== undefined && value === refusedAnswer) return tr('web.validation.refusedAgain');
  const rule = ruleOf(field);
  if (!rule) return undefined;
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    return tr('web.validation.maxLength', { max: rule.maxLength });
  }
  if (rule.minLength !== undefined && value.length < rule.minLength) return tr('web.validation.required');
  if (rule.enum && !rule.enum.includes(value)) return tr('web.validation.choose');
  if (rule.pattern && !new RegExp(rule.pattern).test(value)) return tr('web.validation.characters');
  return undefined;
}
