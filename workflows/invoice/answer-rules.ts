import type * as TaskAnswers from '../../domain/task-answers';

/**
 * The rules for a person's answer to a task (domain/task-answers.ts) are zod schemas. Imported
 * with the workflow, they would be built at the start of every invoice workflow, and at every
 * replay of one evicted from the worker's cache (some 7 ms of a first workflow task, and their
 * memory in every cached workflow), although most invoices never get an answer. They are loaded
 * at the first answer a workflow checks or applies instead (webpack bundles the module; `require`
 * evaluates it then).
 */
export function answerRules(): typeof TaskAnswers {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../domain/task-answers') as typeof TaskAnswers;
}
