import { actionPhase, currentStatus, depositPhase, statusHistory } from '../../simulator/lifecycle';
import type { BuyerBehaviour } from '../../simulator/dataset';

const MINUTE = 60;
const DAY = 86400;
const t0 = new Date('2026-03-02T09:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

const paidPath: BuyerBehaviour = {
  first: [
    { status: 'MISE_A_DISPOSITION', afterSeconds: MINUTE },
    { status: 'SERVICE_FAIT', afterSeconds: 3 * DAY },
    { status: 'MANDATEE', afterSeconds: 10 * DAY },
    { status: 'MISE_EN_PAIEMENT', afterSeconds: 15 * DAY },
  ],
};

const statuses = (phases: Parameters<typeof statusHistory>[0], seconds: number) =>
  statusHistory(phases, at(seconds)).map((c) => c.status);

describe('buyer lifecycle', () => {
  it('starts DEPOSEE at the deposit and plays the script step after step', () => {
    const phases = [depositPhase(t0, paidPath, true)];
    expect(statuses(phases, 0)).toEqual(['DEPOSEE']);
    expect(statuses(phases, MINUTE - 1)).toEqual(['DEPOSEE']);
    expect(statuses(phases, MINUTE)).toEqual(['DEPOSEE', 'MISE_A_DISPOSITION']);
    expect(statuses(phases, 3 * DAY + MINUTE)).toEqual(['DEPOSEE', 'MISE_A_DISPOSITION', 'SERVICE_FAIT']);
    expect(statuses(phases, 40 * DAY)).toEqual([
      'DEPOSEE',
      'MISE_A_DISPOSITION',
      'SERVICE_FAIT',
      'MANDATEE',
      'MISE_EN_PAIEMENT',
    ]);
    expect(currentStatus(phases, at(40 * DAY))?.at).toEqual(at(28 * DAY + MINUTE));
  });

  it('is empty before the deposit', () => {
    expect(currentStatus([depositPhase(t0, paidPath, true)], at(-1))).toBeUndefined();
  });

  it('never shows MISE_EN_PAIEMENT for a buyer that does not report it', () => {
    const phases = [depositPhase(t0, paidPath, false)];
    expect(statuses(phases, 100 * DAY).at(-1)).toBe('MANDATEE');
  });

  it('waits in A_RECYCLER, then runs the script for that action from the recycle', () => {
    const recycles: BuyerBehaviour = {
      first: [
        { status: 'MISE_A_DISPOSITION', afterSeconds: MINUTE },
        { status: 'A_RECYCLER', afterSeconds: 3600, comment: 'Mauvais service' },
        { status: 'SERVICE_FAIT', afterSeconds: 60 },
      ],
      afterActions: [paidPath.first],
    };
    const deposit = depositPhase(t0, recycles, true);
    const waiting = statusHistory([deposit], at(30 * DAY));
    expect(waiting.map((c) => c.status)).toEqual(['DEPOSEE', 'MISE_A_DISPOSITION', 'A_RECYCLER']);
    expect(waiting.at(-1)?.comment).toBe('Mauvais service');

    const recycled = actionPhase(
      at(2 * DAY),
      { status: 'DEPOSEE', comment: 'vers LOGISTIQUE' },
      recycles,
      true,
    );
    const phases = [deposit, recycled];
    expect(statuses(phases, 2 * DAY)).toEqual(['DEPOSEE', 'MISE_A_DISPOSITION', 'A_RECYCLER', 'DEPOSEE']);
    expect(statuses(phases, 40 * DAY)).toEqual([
      'DEPOSEE',
      'MISE_A_DISPOSITION',
      'A_RECYCLER',
      'DEPOSEE',
      'MISE_A_DISPOSITION',
      'SERVICE_FAIT',
      'MANDATEE',
      'MISE_EN_PAIEMENT',
    ]);
  });

  it('does not repeat COMPLETEE when the script after the action starts with it', () => {
    const suspends: BuyerBehaviour = {
      first: [{ status: 'SUSPENDUE', afterSeconds: 60 }],
      afterActions: [
        [
          { status: 'COMPLETEE', afterSeconds: 0 },
          { status: 'SERVICE_FAIT', afterSeconds: DAY },
        ],
      ],
    };
    const phases = [
      depositPhase(t0, suspends, true),
      actionPhase(at(DAY), { status: 'COMPLETEE', comment: 'BL joint' }, suspends, true),
    ];
    const history = statusHistory(phases, at(3 * DAY));
    expect(history.map((c) => c.status)).toEqual(['DEPOSEE', 'SUSPENDUE', 'COMPLETEE', 'SERVICE_FAIT']);
    expect(history[2].comment).toBe('BL joint');
  });

  it('stops for good at REJETEE', () => {
    const rejects: BuyerBehaviour = {
      first: [
        { status: 'REJETEE', afterSeconds: 60 },
        { status: 'MISE_EN_PAIEMENT', afterSeconds: 60 },
      ],
    };
    expect(statuses([depositPhase(t0, rejects, true)], 100 * DAY)).toEqual(['DEPOSEE', 'REJETEE']);
  });

  it('keeps out-of-order statuses as the buyer sends them', () => {
    const helios: BuyerBehaviour = {
      first: [
        { status: 'MISE_EN_PAIEMENT', afterSeconds: 60 },
        { status: 'MANDATEE', afterSeconds: 60 },
      ],
    };
    const phases = [depositPhase(t0, helios, true)];
    expect(statuses(phases, 60)).toEqual(['DEPOSEE', 'MISE_EN_PAIEMENT']);
    expect(statuses(phases, 120)).toEqual(['DEPOSEE', 'MISE_EN_PAIEMENT', 'MANDATEE']);
  });

  it('uses the first script again when there is no script for actions', () => {
    const behaviour: BuyerBehaviour = { first: [{ status: 'MISE_A_DISPOSITION', afterSeconds: 60 }] };
    const phases = [
      depositPhase(t0, behaviour, true),
      actionPhase(at(120), { status: 'DEPOSEE' }, behaviour, true),
    ];
    expect(statuses(phases, 200)).toEqual(['DEPOSEE', 'MISE_A_DISPOSITION', 'DEPOSEE', 'MISE_A_DISPOSITION']);
  });

  it('plays one script per action and the last one for every later action', () => {
    const twice: BuyerBehaviour = {
      first: [{ status: 'A_RECYCLER', afterSeconds: 60 }],
      afterActions: [
        [{ status: 'SUSPENDUE', afterSeconds: 60 }],
        [{ status: 'MISE_A_DISPOSITION', afterSeconds: 60 }],
      ],
    };
    const phases = [
      depositPhase(t0, twice, true),
      actionPhase(at(120), { status: 'DEPOSEE' }, twice, true, 0),
      actionPhase(at(240), { status: 'COMPLETEE' }, twice, true, 1),
      actionPhase(at(360), { status: 'DEPOSEE' }, twice, true, 2),
    ];
    expect(statuses(phases, 500)).toEqual([
      'DEPOSEE',
      'A_RECYCLER',
      'DEPOSEE',
      'SUSPENDUE',
      'COMPLETEE',
      'MISE_A_DISPOSITION',
      'DEPOSEE',
      'MISE_A_DISPOSITION',
    ]);
  });

  it('plays the validator first for A9/A12 invoices, and stops at its refusal or error', () => {
    const refusing: BuyerBehaviour = {
      first: [{ status: 'MISE_A_DISPOSITION', afterSeconds: 60 }],
      validation: [
        { status: 'A_VALIDER_1', afterSeconds: 60 },
        { status: 'REFUSEE_1', afterSeconds: 60 },
      ],
    };
    expect(statuses([depositPhase(t0, refusing, true, true)], 100 * DAY)).toEqual([
      'DEPOSEE',
      'A_VALIDER_1',
      'REFUSEE_1',
    ]);
    expect(statuses([depositPhase(t0, refusing, true, false)], 100 * DAY)).toEqual([
      'DEPOSEE',
      'MISE_A_DISPOSITION',
    ]);
    const erring: BuyerBehaviour = {
      first: [{ status: 'MISE_A_DISPOSITION', afterSeconds: 60 }],
      validation: [{ status: 'ERREUR_FOURNISSEUR_SUR_VALIDEUR', afterSeconds: 60 }],
    };
    expect(statuses([depositPhase(t0, erring, true, true)], 100 * DAY)).toEqual([
      'DEPOSEE',
      'ERREUR_FOURNISSEUR_SUR_VALIDEUR',
    ]);
    const byDefault: BuyerBehaviour = { first: [{ status: 'MISE_A_DISPOSITION', afterSeconds: 60 }] };
    expect(statuses([depositPhase(t0, byDefault, true, true)], 100 * DAY)).toEqual([
      'DEPOSEE',
      'A_VALIDER_1',
      'VALIDEE_1',
      'MISE_A_DISPOSITION',
    ]);
  });

  it.each(['ABANDONNEE', 'SUPPRIMEE'])('stops for good at %s', (end) => {
    const ends: BuyerBehaviour = {
      first: [
        { status: end, afterSeconds: 60 },
        { status: 'MISE_EN_PAIEMENT', afterSeconds: 60 },
      ],
    };
    expect(statuses([depositPhase(t0, ends, true)], 100 * DAY)).toEqual(['DEPOSEE', end]);
  });
});
