import { BuyerDirectory } from '../../activities/buyer-directory';
import { structureByScenario } from '../../simulator/dataset';
import { SimulatorHarness } from './simulator-harness';

/** Buyer facts cached per environment and buyer, against the real simulator (its counters tell the calls). */
describe('BuyerDirectory', () => {
  let h: SimulatorHarness;
  beforeAll(async () => {
    h = await SimulatorHarness.start();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.resetCounters();
  });

  const lookUps = async () => {
    const { calls } = await h.counters();
    return [
      'structures/rechercher',
      'structures/consulter',
      'structures/rechercher/services',
      'structures/consulter/service',
    ]
      .map((op) => calls[op] ?? 0)
      .reduce((a, b) => a + b, 0);
  };

  it('asks Chorus once per buyer within the TTL, again after forget, and apart per environment', async () => {
    const client = h.client('credentials.valid');
    const directory = new BuyerDirectory(60_000);
    const siret = structureByScenario(h.dataset, 'buyer.requires-service').siret;

    const first = await directory.structure(client, 'simulator', siret);
    expect(first?.services.map((s) => s.codeService)).toContain('ACHATS');
    expect(await lookUps()).toBe(3);
    const again = await Promise.all([1, 2, 3].map(() => directory.structure(client, 'simulator', siret)));
    expect(again.every((entry) => entry?.hit.idStructureCPP === first?.hit.idStructureCPP)).toBe(true);
    expect(await lookUps()).toBe(3);

    const achats = first!.services.find((s) => s.codeService === 'ACHATS')!;
    const flag = () =>
      directory.engagementRequiredBy(client, 'simulator', siret, first!.hit.idStructureCPP, achats.idService);
    expect(await flag()).toBe(false);
    expect(await flag()).toBe(false);
    expect(await lookUps()).toBe(4);

    await directory.structure(client, 'sandbox', siret);
    expect(await lookUps()).toBe(7);

    directory.forget('simulator', siret);
    await directory.structure(client, 'simulator', siret);
    await flag();
    expect(await lookUps()).toBe(11);
  });

  it('remembers that no structure has a SIRET, and reloads after the TTL', async () => {
    const client = h.client('credentials.valid');
    const directory = new BuyerDirectory(1);
    expect(await directory.structure(client, 'simulator', '12345678200010')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await directory.structure(client, 'simulator', '12345678200010')).toBeNull();
    expect((await h.counters()).calls['structures/rechercher']).toBe(2);
  });
});
