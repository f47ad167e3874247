// What a person reads when the service cannot answer: in French, never the API's English.

import { tr } from './i18n.js';

export function errorText(err) {
  const status = err?.status;
  if (status === undefined) return tr('web.error.unreachable');
  if (status === 404) return tr('web.error.notFound');
  if (status === 403) return tr('web.error.forbidden');
  if (status === 429) return tr('web.error.rateLimited');
  if (status === 503) return tr('web.error.unavailable');
  return tr('web.error.http', { status });
}
