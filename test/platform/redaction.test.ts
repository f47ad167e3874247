import { whoText } from '../../domain/actor';
import { humanMs } from '../../audit/facts';
import { createLogger } from '../../platform/logger';
import { REDACTED, redact, redactSecrets, redactText, redactUrl } from '../../platform/redaction';

describe('the one redaction', () => {
  it('redacts values under secret-looking keys, at any depth', () => {
    const out = redact({
      piste: { clientId: 'piste-client-complete', clientSecret: 'secret-complete-0001' },
      technicalAccount: { login: 'TECH_1@cpro.fr', password: 'Tech-Password-Valid-1' },
      headers: { Authorization: 'Bearer abc', 'cpro-account': 'VEVDSDox' },
      access_token: 'x',
      motDePasse: 'y',
      attachments: [{ fileName: 'a.pdf', contentBase64: 'JVBERi0xLjQK' }],
      nested: [{ deeper: { refreshToken: 'z' } }],
    });
    expect(out).toEqual({
      piste: { clientId: 'piste-client-complete', clientSecret: '[redacted]' },
      technicalAccount: { login: 'TECH_1@cpro.fr', password: '[redacted]' },
      headers: { Authorization: '[redacted]', 'cpro-account': '[redacted]' },
      access_token: '[redacted]',
      motDePasse: '[redacted]',
      attachments: [{ fileName: 'a.pdf', contentBase64: '[redacted]' }],
      nested: [{ deeper: { refreshToken: '[redacted]' } }],
    });
  });

  it('drops long base64 strings and binary data, keeps hex digests, identifiers and paths', () => {
    const token = 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7';
    const sha = `sha256:${'ab12'.repeat(16)}`;
    const out = redact({
      file: Buffer.from('%PDF-1.4\n% une facture de test\n'.repeat(5)).toString('base64'),
      bytes: new Uint8Array([1, 2, 3]),
      token54: token,
      ref: sha,
      requestHash: 'f'.repeat(64),
      runId: '9f89326f-6813-4392-815e-7187b985125b',
      route: 'transverses/v1/recuperer/structures/actives/fournisseur',
      invoiceId: 'invoice:e2e-abcdef:F-2026-0042',
    }) as Record<string, string>;
    expect(out.file).toMatch(/^\[dropped: \d+ base64 characters\]$/);
    expect(out.bytes).toBe('[dropped: 3 bytes]');
    expect(out.token54).toBe('[redacted]'); // its key says token
    expect(redact({ value: token })).toEqual({ value: '[dropped: 54 base64 characters]' });
    expect(out.ref).toBe(sha);
    expect(out.requestHash).toBe('f'.repeat(64));
    expect(out.runId).toBe('9f89326f-6813-4392-815e-7187b985125b');
    expect(out.route).toBe('transverses/v1/recuperer/structures/actives/fournisseur');
    expect(out.invoiceId).toBe('invoice:e2e-abcdef:F-2026-0042');
  });

  it('cleans free text: bearer and basic credentials, sealed strings, key=value secrets, embedded tokens', () => {
    const text = redactText(
      'call failed with Authorization: Bearer aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7 and ' +
        'cpro-account Basic VEVDSF8xXzg3NjU0MzIxMDAwMDEwQGNwcm8uZnI6VGVjaC1QYXNzd29yZC1WYWxpZC0x; ' +
        'stored sealed:v1:k1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo= ; client_secret=secret-complete-0001&x=1 ' +
        'password: "hunter2"',
    );
    expect(text).not.toMatch(/aB3dE5fG7h|VEVDSF8x|sealed:v1|secret-complete-0001|hunter2/);
    expect(text).toContain('Bearer [redacted]');
    expect(text).toContain('client_secret=[redacted]');
    expect(redactText('Chorus Pro status MISE_EN_PAIEMENT at 2026-11-28 16:02')).toBe(
      'Chorus Pro status MISE_EN_PAIEMENT at 2026-11-28 16:02',
    );
  });

  it('shows URLs without credentials or query strings', () => {
    expect(redactUrl('https://user:pass@hooks.example.com/in/42?token=abc&x=1')).toBe(
      'https://hooks.example.com/in/42?[redacted]',
    );
    expect(redact({ webhookUrl: 'http://127.0.0.1:4000/h?sig=abc' })).toEqual({
      webhookUrl: 'http://127.0.0.1:4000/h?[redacted]',
    });
  });

  it('keeps pino, the Chorus client and the audit on one vocabulary', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info' }, { write: (line: string) => lines.push(line) });
    logger.info({ piste: { clientSecret: 's3cr3t-value' }, headers: { 'cpro-account': 'VEVDSDox' } }, 'call');
    expect(lines.join('')).not.toMatch(/s3cr3t-value|VEVDSDox/);
    expect(lines.join('')).toContain(REDACTED);
    expect(redactSecrets('{"client_secret":"abc123","ok":1} password=hunter2', [])).toBe(
      `{"client_secret":"${REDACTED}","ok":1} password=${REDACTED}`,
    );
  });
});

describe('who acted, and durations, as people read them', () => {
  it('names the person first when known, else the key', () => {
    expect(whoText({ keyId: 'dev-staff', role: 'staff', user: 'claire' })).toEqual({
      en: 'claire (key dev-staff)',
      fr: 'claire (clé dev-staff)',
    });
    expect(whoText({ keyId: 'k1', role: 'system' })).toEqual({ en: 'key k1', fr: 'clé k1' });
    expect(whoText(undefined).en).toBe('someone (no identity recorded)');
    expect(humanMs(3_600_000)).toBe('1 hour');
    expect(humanMs(20_000)).toBe('20 seconds');
    expect(humanMs(200)).toBe('200 ms');
  });
});
