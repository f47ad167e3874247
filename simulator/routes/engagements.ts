import express from 'express';
import { z } from 'zod';
import { fromMicros, percentage, toMicros } from '../decimal';
import { callerOf, type SimulatorContext } from '../context';
import type { EngagementRecord, StructureRecord } from '../dataset';
import { paginate, sendEmptySearch, sendOk } from '../envelope';
import { chorusId, paginationOf, paginationSchema, readBody } from './request';

/** `/cpro/engagementsJuridiques/v1`: legal commitments (EJ) received by the caller's structures (API-FACTS §4.4). */
export function createEngagementsRouter(ctx: SimulatorContext): express.Router {
  const router = express.Router();

  router.post('/rechercher', (req, res) => {
    ctx.counters.recordCall('engagementsJuridiques/rechercher');
    const body = readBody(res, searchEngagementsSchema, req.body);
    if (!body) return;
    const caller = callerOf(res);
    const wanted = body.numeroEngagementJuridique?.trim();
    const matches = ctx.dataset.structures.flatMap((issuer) =>
      issuer.engagements
        .filter(
          (ej) =>
            // Only engagements received by one of the caller's own structures are visible.
            caller.account.supplierStructureIds.includes(ej.idStructureReceptrice) &&
            (body.structureReceptriceEngagementJuridique == null ||
              ej.idStructureReceptrice === body.structureReceptriceEngagementJuridique) &&
            (!wanted || ej.numeroEngagementJuridique === wanted) &&
            (!body.etatCourantEngagementJuridique || ej.etat === body.etatCourantEngagementJuridique),
        )
        .map((ej) => ({ ej, issuer })),
    );
    if (matches.length === 0) {
      sendEmptySearch(res, 'listeEngagementJuridique');
      return;
    }
    const { page, parametresRetour } = paginate(matches, paginationOf(body.parametresRecherche));
    sendOk(res, {
      listeEngagementJuridique: page.map(({ ej, issuer }) => engagementView(ctx, ej, issuer)),
      parametresRetour,
    });
  });

  return router;
}

const searchEngagementsSchema = z
  .object({
    structureReceptriceEngagementJuridique: chorusId.nullish(),
    numeroEngagementJuridique: z.string().max(50).nullish(),
    etatCourantEngagementJuridique: z.string().nullish(),
    parametresRecherche: paginationSchema,
  })
  .loose();

function engagementView(ctx: SimulatorContext, ej: EngagementRecord, issuer: StructureRecord) {
  const receiver = ctx.dataset.structures.find((s) => s.idStructureCPP === ej.idStructureReceptrice);
  const service = issuer.services.find((s) => s.codeService === ej.codeServiceExecutant);
  // The data set carries HT only; TTC at the standard 20 % rate.
  const ht = toMicros(ej.montantTotalHt);
  return {
    idEngagementJuridique: ej.idEngagementJuridique,
    numeroEngagementJuridique: ej.numeroEngagementJuridique,
    libelleTypeEngagementJuridique: 'BON_DE_COMMANDE',
    libelleEtatCourantEJ: ej.etat,
    dateCreationEJ: ej.dateCreation.slice(0, 10),
    montantTotalHt: ej.montantTotalHt,
    montantTotalTtc: fromMicros(ht + percentage(ht, toMicros('20')), 2),
    structureReceptrice: receiver?.siret ?? String(ej.idStructureReceptrice),
    statutStructureReceptrice: receiver?.statut ?? 'ACTIVE',
    codeServiceExecutant: ej.codeServiceExecutant ?? null,
    libelleServiceExecutant: service?.libelleService ?? null,
    codeServiceExecutantEmetteur: ej.codeServiceExecutant ?? null,
    libelleServiceExecutantEmetteur: service?.libelleService ?? null,
  };
}
