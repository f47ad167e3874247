/** What an answer needs of a task (the workflow's OpenTask, or the typed client's). */
export interface TaskToAnswer {
  id: string;
  kind: string;
  fields: Array<{ field: string; allowedValues?: Array<{ value: string }> }>;
}

export interface AnswerBody {
  taskId: string;
  approve?: boolean;
  values?: Record<string, string>;
  attachments?: Array<{ fileName: string; contentBase64: string }>;
}

/** What the demo and the chaos harness know of a simulator buyer (`GET /__admin/dataset`). */
export interface BuyerForAnswers {
  scenario: string;
  engagements: Array<{ numeroEngagementJuridique: string }>;
}

const PDF = Buffer.from('%PDF-1.4\n% piece justificative\n').toString('base64');

/**
 * What a back-office person answers to a task of the simulator's scenarios: an approval, a known
 * engagement, the first allowed value (LOGISTIQUE for a recycle), a signed delivery note for a
 * suspension, the main contractor as validator; a number already used is another invoice, a sending
 * that keeps failing is stopped, a validator to correct is corrected in the portal. Undefined when
 * nothing in the task can be picked (the invoice is then cancelled).
 */
export function answerAsAPersonWould(
  task: TaskToAnswer,
  buyer: BuyerForAnswers | undefined,
  validatorSiret?: string,
): AnswerBody | undefined {
  if (task.kind === 'APPROVAL') return { taskId: task.id, approve: true };
  if (task.kind === 'DUPLICATE_NUMBER') return { taskId: task.id, approve: false };
  if (task.kind === 'SUBMISSION_FAILING') return { taskId: task.id, approve: false };
  if (task.kind === 'VALIDATOR_ERROR') return { taskId: task.id, approve: true };
  if (task.kind === 'COMPLETE') {
    return {
      taskId: task.id,
      values: { comment: 'Bon de livraison signé joint.' },
      attachments: [{ fileName: 'bl-signe.pdf', contentBase64: PDF }],
    };
  }
  const values: Record<string, string> = {};
  for (const field of task.fields) {
    if (field.field === 'comment' || field.field === 'attachments') continue;
    if (field.field === 'validator.siret' && validatorSiret) {
      values[field.field] = validatorSiret;
    } else if (field.field === 'references.engagementNumber') {
      // A known engagement of the buyer, else the number on the buyer's own purchase order (local
      // authorities' orders are not in Chorus Pro's engagement search).
      values[field.field] = buyer?.engagements[0]?.numeroEngagementJuridique ?? 'BC-2026-0001';
    } else if (field.allowedValues?.length) {
      values[field.field] =
        (task.kind === 'RECYCLE' && field.allowedValues.find((v) => v.value === 'LOGISTIQUE')?.value) ||
        field.allowedValues[0].value;
    }
  }
  return Object.keys(values).length > 0 ? { taskId: task.id, values } : undefined;
}

/** A small PDF for attachments of sample invoices. */
export const SAMPLE_PDF = PDF;
