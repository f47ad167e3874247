// The controls of a task's fields: a list where the buyer or Chorus Pro gives the allowed
// values, an either/or group where the buyer accepts one field or another, a refused answer
// shown as an error on its field, and files with their type.

import { h } from '../dom.js';
import { codesOf, label, tr } from '../i18n.js';
import { ruleOf } from './validation.js';

/** Fields whose codes have labels of their own kind. */
const LABEL_KIND = { vatRegime: 'vatRegime', paymentMode: 'paymentMode', billingFrame: 'billingFrame' };

const idOf = (field) => `field-${field.replace(/[^A-Za-z0-9]/g, '-')}`;

function choices(f) {
  const none = h('option', { value: '' }, tr('web.field.choose'));
  if (f.allowedValues?.length) {
    return [
      none,
      f.allowedValues.map((v) =>
        h('option', { value: v.value }, v.label && v.label !== v.value ? `${v.value} — ${v.label}` : v.value),
      ),
    ];
  }
  const kind = LABEL_KIND[f.field];
  const codes = ruleOf(f.field)?.enum ?? [];
  return [none, codes.map((code) => h('option', { value: code }, kind ? label(kind, code) : code))];
}

function attachmentControl(id, disabled) {
  const types = h('div', {});
  const control = h('input', {
    id,
    type: 'file',
    multiple: true,
    disabled,
    onchange: () =>
      types.replaceChildren(
        ...[...control.files].map((file, i) =>
          h(
            'div',
            { class: 'field' },
            h('label', { for: `${id}-type-${i}` }, tr('web.field.attachmentType', { file: file.name })),
            h(
              'select',
              { id: `${id}-type-${i}`, 'data-file-index': i },
              codesOf('attachmentType').map((t) => h('option', { value: t }, label('attachmentType', t))),
            ),
          ),
        ),
      ),
  });
  return { control, extra: types, typeOf: (i) => types.querySelector(`[data-file-index="${i}"]`)?.value };
}

/** A field whose only value is `true` (a confirmation): a checkbox, worded by its one allowed value. */
const isConfirmation = (f) => ruleOf(f.field)?.enum?.length === 1 && ruleOf(f.field).enum[0] === 'true';

function controlFor(f, id, disabled) {
  const value =
    f.refusedAnswer !== undefined && f.refusedAnswer === f.currentValue ? '' : (f.currentValue ?? '');
  if (f.field === 'attachments') return attachmentControl(id, disabled);
  if (isConfirmation(f)) {
    const control = h('input', { id, type: 'checkbox', disabled, checked: value === 'true' });
    return { control, read: () => (control.checked ? 'true' : '') };
  }
  if (f.field === 'comment') {
    return { control: h('textarea', { id, maxlength: ruleOf('comment')?.maxLength, disabled }) };
  }
  if (f.allowedValues?.length || ruleOf(f.field)?.enum) {
    const control = h('select', { id, disabled }, choices(f));
    control.value = value;
    return { control };
  }
  return { control: h('input', { id, type: 'text', value, disabled, autocomplete: 'off' }) };
}

/** One field: its label, why it is asked (unless its group says it), the control, and where its error shows. */
function fieldBlock(f, readOnly, inGroup, groupWhy) {
  const id = idOf(f.field);
  const { control, extra, typeOf, read = () => control.value.trim() } = controlFor(f, id, readOnly);
  const error = h('div', {
    class: 'field-error',
    id: `${id}-error`,
    'data-error-for': f.field,
    hidden: true,
  });
  const refused = f.refusedAnswer !== undefined;
  const why = f.whyFr ?? f.why;
  control.setAttribute('aria-describedby', `${id}-why ${id}-error`);
  const required = f.required && !inGroup;
  if (required) control.setAttribute('aria-required', 'true');
  const block = isConfirmation(f)
    ? h(
        'div',
        { class: 'field confirmation', 'data-field': f.field },
        h('p', { class: 'hint', id: `${id}-why` }),
        control,
        ' ',
        h('label', { for: id, class: 'inline' }, f.allowedValues?.[0]?.label ?? why),
        error,
      )
    : h(
        'div',
        { class: 'field', 'data-field': f.field },
        h(
          'label',
          { for: id },
          label('field', f.field),
          required ? h('span', { 'aria-hidden': 'true' }, ' *') : '',
        ),
        h('p', { class: 'hint', id: `${id}-why` }, refused || why === groupWhy ? '' : why),
        control,
        extra,
        error,
      );
  const entry = {
    spec: f,
    control,
    typeOf,
    /** The value as the answer gives it ('' when not filled). */
    read,
    showError(text) {
      error.textContent = text;
      error.hidden = false;
      control.setAttribute('aria-invalid', 'true');
    },
    clearError() {
      error.hidden = true;
      control.removeAttribute('aria-invalid');
    },
  };
  // Asked again after Chorus Pro or the buyer refused the answer: say so on the field itself.
  if (refused) entry.showError(tr('web.field.refused', { value: f.refusedAnswer, why }));
  return { block, entry };
}

/**
 * The form's fields: `elements` to show, `controls` (field → entry) and `groups` (either/or
 * group → its fieldset, error and member fields).
 */
export function taskFields(task, readOnly) {
  const controls = new Map();
  const groups = new Map();
  const elements = [];
  /** What an either/or group's fields say in common, said once under its legend. */
  const whyOf = (group) => {
    const whys = new Set(task.fields.filter((f) => f.oneOf === group).map((f) => f.whyFr ?? f.why));
    return whys.size === 1 ? [...whys][0] : undefined;
  };
  for (const f of task.fields) {
    const groupWhy = f.oneOf ? whyOf(f.oneOf) : undefined;
    const { block, entry } = fieldBlock(f, readOnly, Boolean(f.oneOf), groupWhy);
    controls.set(f.field, entry);
    if (!f.oneOf) {
      elements.push(block);
      continue;
    }
    let group = groups.get(f.oneOf);
    if (!group) {
      const error = h('div', { class: 'field-error', 'data-error-for-group': f.oneOf, hidden: true });
      const members = h('div', { class: 'either-or' });
      const fieldset = h(
        'fieldset',
        { class: 'one-of', 'data-one-of': f.oneOf },
        h('legend', {}, tr('web.field.oneOf')),
        groupWhy ? h('p', { class: 'hint' }, groupWhy) : null,
        h('p', { class: 'hint' }, tr('web.field.oneOfHint')),
        members,
        error,
      );
      group = { fieldset, members, error, fields: [] };
      groups.set(f.oneOf, group);
      elements.push(fieldset);
    }
    if (group.fields.length)
      group.members.append(h('p', { class: 'or', 'aria-hidden': 'true' }, tr('web.field.or')));
    group.members.append(block);
    group.fields.push(f.field);
  }
  return { elements, controls, groups };
}
