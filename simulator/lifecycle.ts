import type { BuyerBehaviour, LifecycleStep, StructureRecord } from './dataset';

/**
 * The buyer side of an invoice's life, computed lazily from the simulated clock.
 *
 * An invoice's life is a list of phases: the deposit, then one per supplier action
 * (`recycler`, `completer`). Each phase opens with a status set at once (DEPOSEE, COMPLETEE) and
 * then plays a buyer script whose steps fire `afterSeconds` after the previous one. Nothing is
 * scheduled: the history at an instant is derived from the phases, so advancing the clock is enough.
 */

/** Statuses where the buyer waits for the supplier (`recycler`, `completer`). */
export const WAITING_STATUSES = ['A_RECYCLER', 'SUSPENDUE'] as const;
export type WaitingStatus = (typeof WAITING_STATUSES)[number];

/** Statuses after which nothing ever happens again (a rejected invoice needs a new number). */
export const FINAL_STATUSES = ['REJETEE', 'ABANDONNEE', 'SUPPRIMEE', 'REFUSEE_1', 'REFUSEE_2'] as const;

/**
 * Validator statuses that wait for the supplier to correct the validator (`corriger/valideur/facture`,
 * not simulated): the script stops there.
 */
export const VALIDATOR_ERROR_STATUSES = [
  'ERREUR_FOURNISSEUR_SUR_VALIDEUR',
  'ERREUR_COTRAITANT_SUR_VALIDEUR',
] as const;

/** What the validator of an A9/A12 invoice does when the buyer says nothing else: it validates. */
export const DEFAULT_VALIDATION: LifecycleStep[] = [
  { status: 'A_VALIDER_1', afterSeconds: 60 },
  { status: 'VALIDEE_1', afterSeconds: 3600 },
];

/** Not final: Hélios buyers may still report MANDATEE after it (API-FACTS §5.1). */
export const PAYMENT_STATUS = 'MISE_EN_PAIEMENT';

export interface StatusChange {
  status: string;
  at: Date;
  comment?: string;
}

export interface LifecyclePhase {
  startedAt: Date;
  /** Status set by the event that opened the phase, at `startedAt`. */
  opening: { status: string; comment?: string };
  /** Buyer steps played after the opening, copied when the phase starts. */
  script: LifecycleStep[];
  /** False for buyers flagged `statutMiseEnPaiementNestPasRemonte`: MISE_EN_PAIEMENT is never seen. */
  reportsPayment: boolean;
}

function isWaiting(status: string): boolean {
  return (WAITING_STATUSES as readonly string[]).includes(status);
}

function isFinal(status: string): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/** Whether a script stops at `status` until something outside the buyer happens. */
export function haltsScript(status: string): boolean {
  return (
    isWaiting(status) || isFinal(status) || (VALIDATOR_ERROR_STATUSES as readonly string[]).includes(status)
  );
}

/** A buyer's scripts; a structure without one leaves its invoices DEPOSEE. */
export function buyerLifecycle(buyer: Pick<StructureRecord, 'behaviour' | 'parametres'>): {
  behaviour: BuyerBehaviour;
  reportsPayment: boolean;
} {
  return {
    behaviour: buyer.behaviour ?? { first: [] },
    reportsPayment: !buyer.parametres.statutMiseEnPaiementNestPasRemonte,
  };
}

/**
 * Phase opened by a deposit: DEPOSEE, then the buyer's first script — after the validator's steps
 * when the invoice is under a validator frame (A9, A12).
 */
export function depositPhase(
  at: Date,
  behaviour: BuyerBehaviour,
  reportsPayment: boolean,
  validated = false,
): LifecyclePhase {
  const validation = validated ? (behaviour.validation ?? DEFAULT_VALIDATION) : [];
  return {
    startedAt: at,
    opening: { status: 'DEPOSEE' },
    script: [...validation, ...behaviour.first],
    reportsPayment,
  };
}

/**
 * Phase opened by the supplier's `actionIndex`-th action (0 for the first): DEPOSEE after
 * `recycler`, COMPLETEE after `completer`. The buyer plays its script for that action, its last
 * one for later actions, or its first script over when it has none.
 */
export function actionPhase(
  at: Date,
  opening: { status: string; comment?: string },
  behaviour: BuyerBehaviour,
  reportsPayment: boolean,
  actionIndex = 0,
): LifecyclePhase {
  const scripts = behaviour.afterActions ?? [];
  const script = scripts[Math.min(actionIndex, scripts.length - 1)] ?? behaviour.first;
  return { startedAt: at, opening, script: [...script], reportsPayment };
}

/**
 * Every status passed at `now`, oldest first. A phase's script stops at a waiting or final status
 * and at the start of the next phase; a step repeating the current status is not a change.
 */
export function statusHistory(phases: readonly LifecyclePhase[], now: Date): StatusChange[] {
  const history: StatusChange[] = [];
  const push = (change: StatusChange) => {
    if (change.at.getTime() > now.getTime()) return false;
    if (history.at(-1)?.status === change.status) return true;
    history.push(change);
    return true;
  };

  phases.forEach((phase, index) => {
    const cutOff = phases[index + 1]?.startedAt.getTime() ?? Number.POSITIVE_INFINITY;
    if (!push({ at: phase.startedAt, ...phase.opening })) return;
    let at = phase.startedAt.getTime();
    for (const step of phase.script) {
      at += step.afterSeconds * 1000;
      if (at > cutOff) return;
      if (step.status === PAYMENT_STATUS && !phase.reportsPayment) continue;
      const change: StatusChange = { status: step.status, at: new Date(at) };
      if (step.comment !== undefined) change.comment = step.comment;
      if (!push(change)) return;
      if (haltsScript(step.status)) return;
    }
  });
  return history;
}

/** The status in force at `now` (the last change), or undefined before the deposit. */
export function currentStatus(phases: readonly LifecyclePhase[], now: Date): StatusChange | undefined {
  return statusHistory(phases, now).at(-1);
}
