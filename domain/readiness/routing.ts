import type { Invoice } from '../invoice';
import { t } from '../messages';
import {
  item,
  PUBLIC_INVOICES_SERVICE,
  ROUTING_ALTERNATIVES,
  type BuyerFacts,
  type ReadinessItem,
  type SupplierFacts,
} from './types';

/**
 * Where the invoice goes in the buyer: the service code and the engagement number each buyer (or
 * service) requires, and what Chorus's engagement search said when the connection checks it.
 */
export function routingItems(
  invoice: Invoice,
  supplier: SupplierFacts,
  buyer: BuyerFacts,
  structure: NonNullable<BuyerFacts['structure']>,
): ReadinessItem[] {
  const items: ReadinessItem[] = [];
  const serviceCode = invoice.buyer.serviceCode;
  const engagement = invoice.references.engagementNumber;
  const offered = buyer.services.filter(
    (s) => s.active && (supplier.isPublic || s.code !== PUBLIC_INVOICES_SERVICE),
  );
  const allowedServices = offered.map((s) => ({ value: s.code, label: s.label }));
  const chosen = serviceCode ? buyer.services.find((s) => s.code === serviceCode) : undefined;

  // "Service or engagement": either one satisfies the buyer, so only ask when both are missing.
  const eitherSatisfied = structure.serviceOrEngagementRequired && (serviceCode || engagement);
  const serviceNeeded =
    structure.serviceCodeRequired || (structure.serviceOrEngagementRequired && !eitherSatisfied);

  if (serviceCode) {
    if (!chosen) {
      items.push(
        item(
          'service-code',
          false,
          t('readiness.serviceCode.unknown', { buyer: structure.designation, service: serviceCode }),
          {
            field: 'buyer.serviceCode',
            allowedValues: allowedServices,
          },
        ),
      );
    } else if (!chosen.active) {
      items.push(
        item(
          'service-code',
          false,
          t('readiness.serviceCode.inactive', { buyer: structure.designation, service: serviceCode }),
          {
            field: 'buyer.serviceCode',
            allowedValues: allowedServices,
          },
        ),
      );
    } else if (chosen.code === PUBLIC_INVOICES_SERVICE && !supplier.isPublic) {
      items.push(
        item(
          'service-code',
          false,
          t('readiness.serviceCode.publicInvoices', { service: PUBLIC_INVOICES_SERVICE }),
          {
            field: 'buyer.serviceCode',
            allowedValues: allowedServices,
          },
        ),
      );
    } else {
      items.push(
        item(
          'service-code',
          true,
          t('readiness.serviceCode.ok', { service: chosen.code, label: chosen.label }),
        ),
      );
    }
  } else if (serviceNeeded) {
    items.push(
      item(
        'service-code',
        false,
        structure.serviceCodeRequired
          ? t('readiness.serviceCode.required', { buyer: structure.designation })
          : t('readiness.serviceOrEngagement.required', { buyer: structure.designation }),
        {
          field: 'buyer.serviceCode',
          allowedValues: allowedServices,
          ...(structure.serviceCodeRequired ? {} : { oneOf: ROUTING_ALTERNATIVES }),
        },
      ),
    );
  } else {
    items.push(item('service-code', true, t('readiness.serviceCode.notRequired')));
  }

  const serviceNeedsEngagement = chosen?.engagementRequired === true;
  const engagementNeeded =
    structure.engagementRequired ||
    serviceNeedsEngagement ||
    (structure.serviceOrEngagementRequired && !eitherSatisfied);
  if (engagement) {
    items.push(item('engagement-number', true, t('readiness.engagement.ok', { engagement })));
    const checked = engagementCheckItem(engagement, invoice.references.engagementConfirmed === true, buyer);
    if (checked) items.push(checked);
  } else if (engagementNeeded) {
    const why = structure.engagementRequired
      ? t('readiness.engagement.required', { buyer: structure.designation })
      : serviceNeedsEngagement
        ? t('readiness.engagement.requiredByService', {
            buyer: structure.designation,
            service: chosen?.code ?? '',
          })
        : t('readiness.serviceOrEngagement.required', { buyer: structure.designation });
    const alternative = !structure.engagementRequired && !serviceNeedsEngagement;
    items.push(
      item('engagement-number', false, why, {
        field: 'references.engagementNumber',
        ...(alternative ? { oneOf: ROUTING_ALTERNATIVES } : {}),
      }),
    );
  } else {
    items.push(item('engagement-number', true, t('readiness.engagement.notRequired')));
  }
  return items;
}

/** Engagement states Chorus invoices can be sent against. */
const OPEN_ENGAGEMENT_STATES = ['COMMANDE'];

/** The group of "correct the engagement number, or confirm it as it is". */
export const ENGAGEMENT_CONFIRMATION = 'engagement-number-or-confirmation';

/**
 * What Chorus's engagement search said, when the connection checks engagements: a closed
 * engagement must be changed; an unknown one is a warning a person can confirm (local authorities'
 * purchase orders are mostly not in the search), never a dead end.
 */
function engagementCheckItem(
  engagement: string,
  confirmed: boolean,
  buyer: BuyerFacts,
): ReadinessItem | undefined {
  if (buyer.engagementFound === undefined) return undefined;
  if (buyer.engagementFound) {
    const state = buyer.engagementState;
    if (state && !OPEN_ENGAGEMENT_STATES.includes(state)) {
      return item('engagement-exists', false, t('readiness.engagement.closed', { engagement, state }), {
        field: 'references.engagementNumber',
      });
    }
    return item('engagement-exists', true, t('readiness.engagement.exists', { engagement }));
  }
  if (confirmed) return item('engagement-exists', true, t('readiness.engagement.confirmed', { engagement }));
  return item('engagement-exists', false, t('readiness.engagement.notFound', { engagement }), {
    field: 'references.engagementNumber',
    oneOf: ENGAGEMENT_CONFIRMATION,
    confirmField: 'references.engagementConfirmed',
  });
}
