import { DAY, HOUR, saisieBody, startFacturesHarness, type FacturesHarness } from './factures-harness';

/**
 * The buyer side over time: each buyer scenario's script, recycler and completer, by advancing the
 * clock (the valid technical account's password renews itself, however far the clock runs).
 */

let h: FacturesHarness;
beforeAll(async () => {
  h = await startFacturesHarness();
});
afterAll(async () => {
  await h.close();
});

async function deposit(scenario: string, extra: Parameters<typeof saisieBody>[3] = {}): Promise<number> {
  const reply = await h.call('soumettre', saisieBody(h.supplier, h.buyer(scenario), h.nextNumber(), extra));
  expect(reply.status).toBe(200);
  return reply.body.identifiantFactureCPP as number;
}

interface HistoStatut {
  histoStatutId: number;
  histoStatutCode: string;
  histoStatutDatePassage: string;
  histoStatutCommentaire: string | null;
}

async function history(id: number) {
  const reply = await h.call('consulter/historique', {
    idFacture: id,
    paramRechercheHistoStatuts: { nbResultatsParPageListeHistoStatut: 50 },
  });
  expect(reply.status).toBe(200);
  const newestFirst = (reply.body.historiquesDesStatuts as { histoStatut: HistoStatut[] }).histoStatut;
  // The platform lists the newest status first; read them here in the order they happened.
  const ids = newestFirst.map((s) => s.histoStatutId);
  expect(ids).toEqual([...ids].sort((a, b) => b - a));
  const statuts = [...newestFirst].reverse();
  return {
    current: reply.body.statutCourantCode as string,
    codes: statuts.map((s) => s.histoStatutCode),
    statuts,
    body: reply.body,
  };
}

const advance = (seconds: number) => h.sim.ctx.clock.advance(seconds);

describe('buyer lifecycle over the simulated clock', () => {
  it('buyer.no-requirement: DEPOSEE → MISE_A_DISPOSITION → SERVICE_FAIT → MANDATEE → MISE_EN_PAIEMENT', async () => {
    const id = await deposit('buyer.no-requirement');
    expect((await history(id)).current).toBe('DEPOSEE');
    advance(61);
    expect((await history(id)).current).toBe('MISE_A_DISPOSITION');
    advance(3 * DAY);
    expect((await history(id)).current).toBe('SERVICE_FAIT');
    advance(10 * DAY);
    expect((await history(id)).current).toBe('MANDATEE');
    advance(15 * DAY);
    const done = await history(id);
    expect(done.current).toBe('MISE_EN_PAIEMENT');
    expect(done.codes).toEqual([
      'DEPOSEE',
      'MISE_A_DISPOSITION',
      'SERVICE_FAIT',
      'MANDATEE',
      'MISE_EN_PAIEMENT',
    ]);
    const dates = done.statuts.map((s) => s.histoStatutDatePassage);
    expect(dates.every((d) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(d))).toBe(true);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(done.statuts.map((s) => s.histoStatutId)).size).toBe(5);

    const consulted = await h.call('consulter/fournisseur', { identifiantFactureCPP: id });
    expect((consulted.body.facture as Record<string, unknown>).statutFacture).toBe('MISE_EN_PAIEMENT');
  });

  it('buyer.recycles: A_RECYCLER → recycler → … MISE_EN_PAIEMENT, same number, new service', async () => {
    const id = await deposit('buyer.recycles', { codeServiceExecutant: 'ACHATS' });
    const early = await h.call('recycler', {
      identifiantFactureCPP: id,
      destinataire: { codeDestinataire: h.buyer('buyer.recycles').siret, codeServiceExecutant: 'LOGISTIQUE' },
    });
    expect(early.body).toMatchObject({ codeRetour: 20006 });
    expect(early.body.libelle).toContain('DEPOSEE');

    advance(2 * HOUR + 61);
    const waiting = await history(id);
    expect(waiting.current).toBe('A_RECYCLER');
    expect(waiting.statuts.at(-1)?.histoStatutCommentaire).toContain('LOGISTIQUE');
    advance(30 * DAY);
    expect((await history(id)).current).toBe('A_RECYCLER');

    expect((await h.call('completer', { identifiantFactureCPP: id, commentaire: 'x' })).body.codeRetour).toBe(
      20002,
    );
    const buyerSiret = h.buyer('buyer.recycles').siret;
    const refusals: Array<[unknown, number]> = [
      [{ identifiantFactureCPP: id }, 20007],
      [{ identifiantFactureCPP: 1, destinataire: { codeDestinataire: buyerSiret } }, 20004],
      [{ identifiantFactureCPP: id, destinataire: { codeDestinataire: '11000000099990' } }, 20008],
      [
        {
          identifiantFactureCPP: id,
          destinataire: { codeDestinataire: buyerSiret, codeServiceExecutant: 'X' },
        },
        20009,
      ],
      [
        {
          identifiantFactureCPP: id,
          destinataire: { codeDestinataire: h.buyer('buyer.requires-engagement').siret },
          reference: { numeroBonCommande: 'EJ-INCONNU' },
        },
        20010,
      ],
    ];
    for (const [request, code] of refusals) {
      const reply = await h.call('recycler', request);
      expect({ request, status: reply.status, code: reply.body.codeRetour }).toEqual({
        request,
        status: 400,
        code,
      });
    }
    expect((await history(id)).current).toBe('A_RECYCLER');

    const recycled = await h.call('recycler', {
      identifiantFactureCPP: id,
      destinataire: { codeDestinataire: buyerSiret, codeServiceExecutant: 'LOGISTIQUE' },
      commentaire: 'Recyclage vers LOGISTIQUE',
      idUtilisateurCourant: 0,
    });
    expect(recycled.status).toBe(200);
    expect(recycled.body).toMatchObject({
      codeRetour: 0,
      identifiantFactureCPP: id,
      statutFacture: 'DEPOSEE',
    });
    expect(recycled.body.dateDepot).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(
      (
        await h.call('recycler', {
          identifiantFactureCPP: id,
          destinataire: { codeDestinataire: buyerSiret },
        })
      ).body.codeRetour,
    ).toBe(20006);

    advance(29 * DAY);
    const paid = await history(id);
    expect(paid.codes).toEqual([
      'DEPOSEE',
      'MISE_A_DISPOSITION',
      'A_RECYCLER',
      'DEPOSEE',
      'MISE_A_DISPOSITION',
      'SERVICE_FAIT',
      'MANDATEE',
      'MISE_EN_PAIEMENT',
    ]);
    expect(paid.statuts[3].histoStatutCommentaire).toBe('Recyclage vers LOGISTIQUE');
    expect(paid.body.derniereAction).toMatchObject({ derniereActionCode: 'RECYCLAGE' });

    const facture = (await h.call('consulter/fournisseur', { identifiantFactureCPP: id })).body
      .facture as Record<string, Record<string, unknown>>;
    expect(facture.destinataire.codeServiceExecutant).toBe('LOGISTIQUE');
    expect(facture.numeroFacture).toEqual(expect.any(String));
  });

  it('buyer.recycles: recycler may move the invoice to another buyer with an engagement', async () => {
    const id = await deposit('buyer.recycles');
    advance(2 * HOUR + 61);
    const recycled = await h.call('recycler', {
      identifiantFactureCPP: id,
      destinataire: { codeDestinataire: h.buyer('buyer.requires-engagement').siret },
      references: { numeroBonCommande: 'EJ-2026-000124' },
    });
    expect(recycled.status).toBe(200);
    const found = await h.call('rechercher/fournisseur', { numeroBonCommande: 'EJ-2026-000124' });
    expect(found.body.listeFactures).toEqual([
      expect.objectContaining({
        identifiantFactureCPP: id,
        codeDestinataire: h.buyer('buyer.requires-engagement').siret,
      }),
    ]);
  });

  it('buyer.suspends: SUSPENDUE → completer → COMPLETEE → … MISE_EN_PAIEMENT', async () => {
    const id = await deposit('buyer.suspends');
    advance(2 * HOUR + 61);
    expect((await history(id)).current).toBe('SUSPENDUE');
    const buyerSiret = h.buyer('buyer.suspends').siret;
    expect(
      (
        await h.call('recycler', {
          identifiantFactureCPP: id,
          destinataire: { codeDestinataire: buyerSiret },
        })
      ).body.codeRetour,
    ).toBe(20006);

    const other = h.sim.ctx.dataset.technicalAccounts.find(
      (a) => !a.supplierStructureIds.includes(h.supplier.idStructureCPP),
    );
    if (!other) throw new Error('the data set has an account of another supplier');
    const foreignFile = h.upload('autre.pdf', 'TECH_9_autre@cpro.fr');
    const refusals: Array<[unknown, number, typeof other?]> = [
      [{ identifiantFactureCPP: 1, commentaire: 'x' }, 20000],
      [{ identifiantFactureCPP: id, commentaire: 'x' }, 20001, other],
      [{ commentaire: 'x' }, 20003],
      [{ identifiantFactureCPP: id }, 20003],
      [
        {
          identifiantFactureCPP: id,
          pieceJointeComplementaire: [{ pieceJointeComplementaireId: foreignFile }],
        },
        20004,
      ],
      [{ identifiantFactureCPP: id, commentaire: 'x'.repeat(2001) }, 20005],
    ];
    for (const [request, code, as] of refusals) {
      const reply = await h.call('completer', request, as);
      expect({ request, status: reply.status, code: reply.body.codeRetour }).toEqual({
        request,
        status: 400,
        code,
      });
    }

    const bonDeLivraison = h.upload('bon-livraison.pdf');
    const completed = await h.call('completer', {
      identifiantFactureCPP: id,
      pieceJointeComplementaire: [
        {
          pieceJointeComplementaireDesignation: 'Bon de livraison',
          pieceJointeComplementaireType: 'BLV',
          pieceJointeComplementaireId: bonDeLivraison,
        },
      ],
      commentaire: 'Bon de livraison joint',
    });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ codeRetour: 0, identifiantFactureCPP: id });
    expect(completed.body.dateTraitement).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect((await history(id)).current).toBe('COMPLETEE');
    expect(
      (await h.call('completer', { identifiantFactureCPP: id, commentaire: 'encore' })).body,
    ).toMatchObject({
      codeRetour: 20002,
    });

    advance(29 * DAY);
    const paid = await history(id);
    expect(paid.codes).toEqual([
      'DEPOSEE',
      'MISE_A_DISPOSITION',
      'SUSPENDUE',
      'COMPLETEE',
      'SERVICE_FAIT',
      'MANDATEE',
      'MISE_EN_PAIEMENT',
    ]);
    expect(paid.body.derniereAction).toMatchObject({ derniereActionCode: 'COMPLEMENT' });
    const events = (
      paid.body.historiquesDesEvenementsComplementaires as { evenement: Array<{ evenementLibelle: string }> }
    ).evenement;
    expect(events.map((e) => e.evenementLibelle)).toContainEqual(expect.stringContaining('Bon de livraison'));

    const facture = (await h.call('consulter/fournisseur', { identifiantFactureCPP: id })).body
      .facture as Record<string, Record<string, unknown>>;
    expect(facture.commentaire).toBe('Bon de livraison joint');
    expect(facture.listeDesPiecesJointes.pieceJointe).toEqual([
      expect.objectContaining({
        pieceJointeId: bonDeLivraison,
        pieceJointeTypeCode: 'BLV',
        pieceJointeTypeLibelle: 'Bon de livraison',
      }),
    ]);
  });

  it('buyer.rejects: REJETEE is final', async () => {
    const id = await deposit('buyer.rejects');
    advance(4 * HOUR + 61);
    const rejected = await history(id);
    expect(rejected.codes).toEqual(['DEPOSEE', 'MISE_A_DISPOSITION', 'REJETEE']);
    expect(rejected.statuts[2].histoStatutCommentaire).toContain('nouvelle facture');
    advance(30 * DAY);
    expect((await history(id)).current).toBe('REJETEE');
    const siret = h.buyer('buyer.rejects').siret;
    expect(
      (await h.call('recycler', { identifiantFactureCPP: id, destinataire: { codeDestinataire: siret } }))
        .body.codeRetour,
    ).toBe(20006);
    expect((await h.call('completer', { identifiantFactureCPP: id, commentaire: 'x' })).body.codeRetour).toBe(
      20002,
    );
  });

  it('buyer.out-of-order: MANDATEE arrives after MISE_EN_PAIEMENT', async () => {
    const id = await deposit('buyer.out-of-order');
    advance(61 + 5 * DAY + 10 * DAY);
    expect((await history(id)).current).toBe('MISE_EN_PAIEMENT');
    advance(DAY);
    const after = await history(id);
    expect(after.current).toBe('MANDATEE');
    expect(after.codes).toEqual([
      'DEPOSEE',
      'MISE_A_DISPOSITION',
      'MISE_A_DISPOSITION_COMPTABLE',
      'MISE_EN_PAIEMENT',
      'MANDATEE',
    ]);
  });

  it('buyer.never-reports-payment: stops at MANDATEE', async () => {
    const id = await deposit('buyer.never-reports-payment');
    advance(60 * DAY);
    const last = await history(id);
    expect(last.current).toBe('MANDATEE');
    expect(last.codes).not.toContain('MISE_EN_PAIEMENT');
  });
});
