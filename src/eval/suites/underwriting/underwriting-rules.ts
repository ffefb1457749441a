import type { Business, World } from './generate-world.ts';
import {
  type Appetite,
  baseAppetite,
  type Industry,
  industries,
  lookBackStartYear,
  products,
} from './world-catalog.ts';

/** The industry of a business. */
export function industryOf(business: Business): Industry {
  const industry = industries.find((item) => item.code === business.industryCode);
  if (industry === undefined) throw new Error(`unknown industry ${business.industryCode}`);
  return industry;
}

/** Claims of the look-back window (the last five years): how many and how much. */
export function recentClaims(world: World, businessId: string): { count: number; total: number } {
  const recent = world.claims.filter(
    (claim) => claim.businessId === businessId && claim.year >= lookBackStartYear,
  );
  return { count: recent.length, total: recent.reduce((sum, claim) => sum + claim.amount, 0) };
}

/** Appetite after state exclusions (guideline 1). */
export function appetiteFor(business: Business, productCode: string): Appetite {
  const product = products.find((item) => item.code === productCode);
  if (product === undefined) throw new Error(`unknown product ${productCode}`);
  if (product.excludedStates.includes(business.state)) return 'out';
  return baseAppetite(industryOf(business), product);
}

/** Products in appetite (`in`, not `refer`) for a business, in catalog order (guideline 2). */
export function recommendedProducts(business: Business): string[] {
  return products
    .filter((product) => appetiteFor(business, product.code) === 'in')
    .map((product) => product.code);
}

/** General Liability per-occurrence limit from revenue, capped for high-hazard classes (guideline 3). */
export function generalLiabilityLimit(annualRevenue: number, hazard: 1 | 2 | 3): number {
  const byRevenue =
    annualRevenue < 1_000_000
      ? 500_000
      : annualRevenue < 5_000_000
        ? 1_000_000
        : annualRevenue < 20_000_000
          ? 2_000_000
          : 3_000_000;
  return hazard === 3 ? Math.min(byRevenue, 1_000_000) : byRevenue;
}

/** Commercial Property deductible from recent claim count, doubled for high-hazard classes (guideline 4). */
export function propertyDeductible(world: World, business: Business): number {
  const { count } = recentClaims(world, business.id);
  const base = count === 0 ? 1_000 : count === 1 ? 2_500 : count <= 3 ? 5_000 : 10_000;
  return industryOf(business).hazard === 3 ? base * 2 : base;
}

/** Eligibility (guideline 5): not out of appetite, 3+ years in business, at most 3 recent claims totalling at most $250,000. */
export function isEligible(world: World, business: Business, productCode: string): boolean {
  const claims = recentClaims(world, business.id);
  return (
    appetiteFor(business, productCode) !== 'out' &&
    business.yearsInBusiness >= 3 &&
    claims.count <= 3 &&
    claims.total <= 250_000
  );
}
