import { whoText } from '../domain/actor';
import { joinLocalized, labelOf, t, type Localized } from '../domain/messages';
import type { AuditFact } from '../workflows/contracts/audit';

/**
 * One recorded fact as a sentence a person reads, in English and French. Pure rendering: the
 * values are the ones the workflow recorded; nothing is looked up, re-evaluated or inferred.
 */
export function describeFact(fact: AuditFact): Localized {
  switch (fact.kind) {
    case 'invoice.received':
      return t('audit.received', {
        number: fact.invoiceNumber,
        buyerSiret: fact.buyerSiret,
        connectionId: fact.connectionId,
        lines: fact.lines,
        attachments: fact.attachments,
      });
    case 'checklist.evaluated': {
      const failed = fact.items.filter((i) => !i.ok);
      if (failed.length === 0) return t('audit.checklist.passed', { count: fact.items.length });
      return t('audit.checklist.failed', {
        passed: fact.items.length - failed.length,
        count: fact.items.length,
        failed: joinLocalized(
          failed.map((i) => ({
            en: i.message.replace(/\.$/, ''),
            fr: (i.messageFr ?? i.message).replace(/\.$/, ''),
          })),
          { en: '; ', fr: ' ; ' },
        ),
      });
    }
    case 'task.opened': {
      const opened = fact.fields.length
        ? t('audit.task.opened', {
            taskId: fact.taskId,
            kind: fact.taskKind,
            fields: joinLocalized(
              fact.fields.map((f) => fieldName(f.field)),
              { en: ', ', fr: ', ' },
            ),
          })
        : t('audit.task.openedNoFields', { taskId: fact.taskId, kind: fact.taskKind });
      return fact.buyerComment
        ? joinLocalized([opened, t('audit.task.buyerSays', { comment: fact.buyerComment })])
        : opened;
    }
    case 'task.answered': {
      const parts: Localized[] = [
        ...Object.entries(fact.values).map(([field, value]) => ({
          en: `${field} = "${value}"`,
          fr: `${fieldName(field).fr} = « ${labelOf('answerValue', value, 'fr')} »`,
        })),
        ...(fact.approve === undefined
          ? []
          : [t(fact.approve ? 'audit.task.approved' : 'audit.task.refused')]),
        ...(fact.comment ? [t('audit.task.comment', { comment: fact.comment })] : []),
        ...(fact.attachments.length
          ? [
              t('audit.task.attachments', {
                count: fact.attachments.length,
                files: fact.attachments.map((a) => a.fileName).join(', '),
              }),
            ]
          : []),
      ];
      return t('audit.task.answered', {
        taskId: fact.taskId,
        kind: fact.taskKind,
        who: whoText(fact.answeredBy),
        answer: parts.length ? joinLocalized(parts, { en: ', ', fr: ', ' }) : t('audit.task.noValues'),
      });
    }
    case 'task.reminder':
      return t('audit.task.reminder', {
        count: fact.remindersSent,
        taskId: fact.taskId,
        kind: fact.taskKind,
        after: humanDuration(fact.after),
      });
    case 'task.closed':
      return t('audit.task.closed', { taskId: fact.taskId });
    case 'timer.armed': {
      const after = humanDuration(fact.after);
      if (fact.purpose === 'task-reminder') return t('audit.timer.taskReminder', { after });
      if (fact.purpose === 'tracking-fallback') return t('audit.timer.trackingFallback', { after });
      return t('audit.timer.resubmitBackoff', { after });
    }
    case 'cancel.requested':
      return fact.reason
        ? t('audit.cancel.requestedWithReason', { who: whoText(fact.requestedBy), reason: fact.reason })
        : t('audit.cancel.requested', { who: whoText(fact.requestedBy) });
    case 'connection.waiting':
      return t('audit.connection.waiting', {
        reason: inBoth(fact.reason, fact.reasonFr),
        every: humanDuration(fact.recheckEvery),
      });
    case 'connection.resumed':
      return t('audit.connection.resumed');
    case 'attachment.uploaded':
      return t('audit.attachment.uploaded', {
        file: fact.fileName,
        size: fact.sizeBytes,
        id: fact.pieceJointeId,
      });
    case 'submission.sent': {
      const o = fact.outcome;
      if (o.kind === 'accepted')
        return t('audit.submission.accepted', {
          attempt: fact.attempt,
          id: o.identifiantFactureCPP,
          status: o.statut,
          date: o.dateDepot || '—',
        });
      return t(o.kind === 'duplicate-number' ? 'audit.submission.duplicate' : 'audit.submission.rejected', {
        attempt: fact.attempt,
        libelle: o.libelle,
        code: o.codeRetour,
      });
    }
    case 'submission.unknown':
      return t('audit.submission.unknown', { attempt: fact.attempt, error: fact.error });
    case 'lookup.done': {
      const why = t(
        fact.reason === 'after-unknown-outcome' ? 'audit.lookup.afterUnknown' : 'audit.lookup.afterDuplicate',
      );
      const found = fact.found;
      if (!found) return t('audit.lookup.notFound', { number: fact.invoiceNumber, why });
      return t(fact.ours ? 'audit.lookup.foundOurs' : 'audit.lookup.foundOther', {
        number: fact.invoiceNumber,
        why,
        id: found.identifiantFactureCPP,
        status: found.statut,
        buyerSiret: found.buyerSiret,
        amount: found.amountInclVat ?? '—',
      });
    }
    case 'deposit.adopted': {
      const id = fact.identifiantFactureCPP;
      if (fact.how === 'accepted') return t('audit.adopted.accepted', { id, status: fact.statut });
      if (fact.how === 'found-after-unknown-outcome') return t('audit.adopted.foundAfterUnknown', { id });
      if (fact.how === 'found-after-duplicate-refusal') return t('audit.adopted.foundAfterDuplicate', { id });
      return t('audit.adopted.confirmed', { id, who: whoText(fact.confirmedBy) });
    }
    case 'status.changed':
      return fact.reason
        ? t('audit.status.changedWithReason', {
            from: fact.from,
            to: fact.to,
            reason: inBoth(fact.reason, fact.reasonFr),
          })
        : t('audit.status.changed', { from: fact.from, to: fact.to });
    case 'chorus.status': {
      const source = t(
        fact.source === 'tracker' ? 'audit.chorus.source.tracker' : 'audit.chorus.source.history',
      );
      const params = { status: fact.status, chorusAt: fact.chorusAt, source };
      return fact.comment
        ? t('audit.chorus.statusWithComment', { ...params, comment: fact.comment })
        : t('audit.chorus.status', params);
    }
    case 'chorus.recycled':
    case 'chorus.completed':
      if (fact.noLongerPending !== undefined) {
        return t('audit.chorus.noLongerPending', {
          id: fact.identifiantFactureCPP,
          chorusSays: fact.noLongerPending,
          action: t(
            fact.kind === 'chorus.recycled' ? 'audit.chorus.action.recycle' : 'audit.chorus.action.complete',
          ),
        });
      }
      if (fact.kind === 'chorus.completed') {
        return t('audit.chorus.completed', {
          id: fact.identifiantFactureCPP,
          count: fact.attachments?.length ?? 0,
        });
      }
      return t('audit.chorus.recycled', {
        id: fact.identifiantFactureCPP,
        buyerSiret: fact.buyerSiret ?? '—',
        service: fact.serviceCode ?? '—',
        engagement: fact.engagementNumber ?? '—',
      });
    case 'tracking.started':
      return t('audit.tracking.started', { id: fact.identifiantFactureCPP });
    case 'tracking.stopped':
      return t(fact.stoppedBy === 'tracker' ? 'audit.tracking.stoppedByTracker' : 'audit.tracking.stopped');
  }
}

/** A field path as the API names it, and as a French reader knows it (« Numéro d’engagement juridique »). */
function fieldName(field: string): Localized {
  return { en: field, fr: labelOf('field', field, 'fr') };
}

/** A recorded text and its French version when the fact has one (facts recorded before it did not). */
function inBoth(en: string, fr: string | undefined): Localized {
  return { en, fr: fr ?? en };
}

/** "2 days" stays "2 days"; "90000ms" becomes "1.5 minutes". */
export function humanDuration(text: string): string {
  const ms = /^(\d+)ms$/.exec(text);
  return ms ? humanMs(Number(ms[1])) : text;
}

/** 3600000 → "1 hour", 200 → "200 ms". */
export function humanMs(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? '' : 's'}`;
  }
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} seconds`;
  return `${ms} ms`;
}
