import { ApplicationFailure, condition, patched, sleep } from '@temporalio/workflow';
import { whoText } from '../../domain/actor';
import { msOf } from '../../domain/durations';
import {
  ALLOWED_ATTACHMENT_EXTENSIONS,
  attachmentExtension,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENT_NAME,
  MAX_INVOICE_ATTACHMENTS_BYTES,
} from '../../domain/invoice-constants';
import { joinLocalized, labelOf, t, type Localized } from '../../domain/messages';
import { answerRules } from './answer-rules';
import { TASK_ANSWER_REFUSAL } from '../contracts/failures';
import type { AttachmentRecord, OpenTask, TaskAnswer, TaskKind } from '../contracts/invoice';
import type { InvoiceContext } from './context';
import { throwIfCancelled } from './outcomes';
import { event, note, record, recordState } from './transitions';

/**
 * Waits for the answer to the open task, with a reminder each `taskReminderAfter`; a cancel
 * request ends the wait when the task is `cancellable` (before anything was sent).
 */
export async function awaitAnswer(ctx: InvoiceContext, cancellable: boolean): Promise<TaskAnswer> {
  const s = ctx.state;
  const after = ctx.timings.taskReminderAfter;
  for (;;) {
    if (s.task) record(ctx, { kind: 'timer.armed', purpose: 'task-reminder', after });
    const got = await condition(
      () => s.answer !== undefined || (cancellable && s.cancelRequest !== undefined),
      msOf(after),
    );
    if (cancellable) throwIfCancelled(ctx);
    if (got && s.answer) {
      const received = s.answer;
      s.answer = undefined;
      await answerDurable();
      recordAnswer(ctx, received);
      return received;
    }
    if (s.task) {
      s.task.remindersSent += 1;
      record(ctx, {
        kind: 'task.reminder',
        taskId: s.task.id,
        taskKind: s.task.kind,
        remindersSent: s.task.remindersSent,
        after,
      });
      recordState(ctx, event(ctx, 'invoice.task_reminder'));
    }
  }
}

/**
 * Ends the workflow task that accepted an answer (a workflow update) before anything it leads to
 * runs: the update is in the history only once that task completes, and a task completes only when
 * its local activities have. Without this a worker lost meanwhile lost the answer, after the
 * answer's record had already shown the task closed in the inbox (docs/chaos.md, seed 2029).
 * A 1 ms timer is the boundary; histories from before it replay without it.
 */
async function answerDurable(): Promise<void> {
  if (patched(ANSWER_DURABLE_PATCH)) await sleep(1);
}

export const ANSWER_DURABLE_PATCH = 'answer-durable-before-effects';

/** The answer, as an audit fact and a journey line. */
function recordAnswer(ctx: InvoiceContext, answer: TaskAnswer): void {
  const task = ctx.state.task;
  if (task) {
    record(ctx, {
      kind: 'task.answered',
      taskId: task.id,
      taskKind: task.kind,
      ...(answer.answeredBy ? { answeredBy: answer.answeredBy } : {}),
      values: answer.values ?? {},
      ...(answer.approve !== undefined ? { approve: answer.approve } : {}),
      ...(answer.comment ? { comment: answer.comment } : {}),
      attachments: (answer.attachments ?? []).map((a) => ({
        fileName: a.fileName,
        ref: a.ref,
        sizeBytes: a.sizeBytes,
        type: a.type,
      })),
    });
  }
  // Field names as a French reader knows them; the values as given.
  const parts: Localized[] = [
    ...Object.entries(answer.values ?? {}).map(([field, value]) => ({
      en: `${field}=${value}`,
      fr: `${labelOf('field', field, 'fr')} : ${labelOf('answerValue', value, 'fr')}`,
    })),
    ...(answer.approve !== undefined
      ? [t(answer.approve ? 'audit.task.approved' : 'audit.task.refused')]
      : []),
    ...(answer.comment ? [t('audit.task.comment', { comment: answer.comment })] : []),
    ...(answer.attachments?.length
      ? [
          t('audit.task.attachments', {
            count: answer.attachments.length,
            files: answer.attachments.map((a) => a.fileName).join(', '),
          }),
        ]
      : []),
  ];
  const given = parts.length ? joinLocalized(parts, { en: ', ', fr: ', ' }) : { en: '—', fr: '—' };
  note(ctx, t('journey.answered', { who: whoText(answer.answeredBy), answer: given }));
}

/** Tasks answered by a decision (`approve: true | false`), not by values. */
export const DECISION_TASKS: readonly TaskKind[] = [
  'APPROVAL',
  'DUPLICATE_NUMBER',
  'SUBMISSION_FAILING',
  'VALIDATOR_ERROR',
];

/** The update validator: refuses synchronously, with field messages, what the task cannot take. */
export function validateAnswer(task: OpenTask | undefined, answer: TaskAnswer): void {
  if (!task) {
    throw ApplicationFailure.create({
      type: TASK_ANSWER_REFUSAL.noOpenTask,
      message: 'This invoice has no open task to answer.',
    });
  }
  if (answer.taskId !== task.id) {
    throw ApplicationFailure.create({
      type: TASK_ANSWER_REFUSAL.staleTask,
      message: `Task ${answer.taskId} is no longer open; the open task is ${task.id} (${task.kind}).`,
    });
  }
  const fieldErrors: Record<string, string> = {};
  if (DECISION_TASKS.includes(task.kind)) {
    if (typeof answer.approve !== 'boolean') fieldErrors.approve = 'answer with approve: true or false';
  } else {
    Object.assign(
      fieldErrors,
      answerRules().checkAnswerValues(
        task.fields.filter((f) => f.field !== 'attachments'),
        answer.values ?? {},
      ),
    );
    const given = answer.values ?? {};
    for (const group of new Set(task.fields.map((f) => f.oneOf).filter((g): g is string => Boolean(g)))) {
      const members = task.fields.filter((f) => f.oneOf === group);
      if (!members.some((f) => (given[f.field] ?? '').trim() !== '')) {
        fieldErrors[members[0].field] = `fill one of ${members.map((f) => f.field).join(' or ')}`;
      }
    }
    const nothing = Object.keys(given).length === 0 && (answer.attachments ?? []).length === 0;
    if (nothing)
      fieldErrors[task.fields[0]?.field ?? 'values'] = 'the answer is empty: fill at least one field';
    if (answer.attachments && !task.fields.some((f) => f.field === 'attachments')) {
      fieldErrors.attachments = 'this task does not ask for attachments';
    } else if (answer.attachments) {
      const problems = attachmentProblems(answer.attachments);
      if (problems.length) fieldErrors.attachments = problems.join('; ');
    }
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw ApplicationFailure.create({
      type: TASK_ANSWER_REFUSAL.invalidAnswer,
      message: `The answer was refused: ${Object.entries(fieldErrors)
        .map(([field, message]) => `${field}: ${message}`)
        .join('; ')}`,
      details: [fieldErrors],
    });
  }
}

/** What Chorus would refuse in attachments given with an answer: name, extension, size. */
function attachmentProblems(attachments: AttachmentRecord[]): string[] {
  const problems: string[] = [];
  for (const a of attachments) {
    const extension = attachmentExtension(a.fileName);
    if (a.fileName.length > MAX_ATTACHMENT_NAME)
      problems.push(`${a.fileName}: name over ${MAX_ATTACHMENT_NAME} characters`);
    if (!extension || !(ALLOWED_ATTACHMENT_EXTENSIONS as readonly string[]).includes(extension))
      problems.push(`${a.fileName}: extension not accepted by Chorus Pro`);
    if (a.sizeBytes > MAX_ATTACHMENT_BYTES) problems.push(`${a.fileName}: over 10 MB`);
  }
  const total = attachments.reduce((sum, a) => sum + a.sizeBytes, 0);
  if (total > MAX_INVOICE_ATTACHMENTS_BYTES) problems.push('over 120 MB in all');
  return problems;
}

/** Adds attachments not already there (same blob reference = same file). */
export function mergeAttachments(
  existing: AttachmentRecord[],
  added: AttachmentRecord[],
): AttachmentRecord[] {
  const byRef = new Map(existing.map((a) => [a.ref, a]));
  for (const a of added) if (!byRef.has(a.ref)) byRef.set(a.ref, a);
  return [...byRef.values()];
}
