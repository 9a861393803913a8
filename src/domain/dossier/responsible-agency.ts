import { unitOfDesk } from './desk-code.js';

/**
 * The agency that answers for a dossier now (DOMAIN.md §6: the apology is the agency's that causes the delay):
 * the agency holding it, or the deciding agency while it still sits at a desk (desk codes: T/H/X + GSO code).
 */
export const responsibleAgency = (d: { holderAgencyCode: string; authorityAgencyCode: string }) =>
  unitOfDesk(d.holderAgencyCode) !== null ? d.authorityAgencyCode : d.holderAgencyCode;
