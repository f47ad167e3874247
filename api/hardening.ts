import type { RequestHandler } from 'express';

/**
 * Response headers every answer carries: no sniffing, no framing, no referrer, resources for
 * this origin only, and a content security policy that allows this origin's scripts and styles
 * (the /docs page and the back-office pages) and nothing else.
 */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    next();
  };
}

/**
 * CORS is closed everywhere except the codec endpoints, which answer the configured origins (the
 * Temporal Web UI) so the UI can decode payloads in the browser.
 */
export function codecCors(origins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.header('origin');
    if (!req.path.startsWith('/v1/codec/') || !origin || !origins.includes(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Max-Age', '600');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}
