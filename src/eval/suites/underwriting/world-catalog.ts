/** An industry class of the generated world; `hazard` 1 (low) to 3 (high) drives appetite and limits. */
export interface Industry {
  code: string;
  name: string;
  description: string;
  hazard: 1 | 2 | 3;
}

/** A product of the catalog. */
export interface Product {
  code: string;
  name: string;
  /** States where the product is not written at all. */
  excludedStates: readonly string[];
}

/** An appetite decision. */
export type Appetite = 'in' | 'refer' | 'out';

/** The industries of the world (codes in the style of NAICS). */
export const industries: readonly Industry[] = [
  {
    code: '7225',
    name: 'Restaurants',
    description: 'full-service restaurants, cafes and diners serving meals',
    hazard: 2,
  },
  {
    code: '4451',
    name: 'Grocery stores',
    description: 'supermarkets and neighborhood grocery stores',
    hazard: 1,
  },
  {
    code: '2382',
    name: 'Building equipment contractors',
    description: 'electricians, plumbers and HVAC installers',
    hazard: 3,
  },
  {
    code: '5415',
    name: 'Computer systems design',
    description: 'software development and IT consulting firms',
    hazard: 1,
  },
  { code: '5411', name: 'Legal services', description: 'law offices and notaries', hazard: 1 },
  {
    code: '6211',
    name: 'Physician offices',
    description: 'medical practices and outpatient clinics run by physicians',
    hazard: 2,
  },
  {
    code: '8111',
    name: 'Auto repair',
    description: 'automotive repair shops, body shops and oil change garages',
    hazard: 3,
  },
  {
    code: '4841',
    name: 'General freight trucking',
    description: 'trucking companies hauling freight by road',
    hazard: 3,
  },
  { code: '3118', name: 'Bakeries', description: 'bakeries making bread, cakes and pastries', hazard: 2 },
  { code: '7139', name: 'Fitness centers', description: 'gyms, yoga studios and fitness clubs', hazard: 2 },
  {
    code: '5313',
    name: 'Property managers',
    description: 'real estate agents and residential property managers',
    hazard: 1,
  },
  {
    code: '2361',
    name: 'Residential construction',
    description: 'home builders and remodeling contractors',
    hazard: 3,
  },
  {
    code: '8121',
    name: 'Personal care services',
    description: 'hair salons, barber shops and nail salons',
    hazard: 1,
  },
  { code: '4481', name: 'Clothing stores', description: 'retail shops selling apparel and shoes', hazard: 1 },
  {
    code: '5182',
    name: 'Data hosting',
    description: 'data centers, web hosting and cloud processing services',
    hazard: 2,
  },
  {
    code: '7211',
    name: 'Hotels and motels',
    description: 'hotels, motels and inns offering lodging',
    hazard: 2,
  },
];

/** The product catalog; codes look like `GL-101`. */
export const products: readonly Product[] = [
  { code: 'GL-101', name: 'General Liability', excludedStates: [] },
  { code: 'PRP-201', name: 'Commercial Property', excludedStates: ['FL'] },
  { code: 'WC-301', name: "Workers' Compensation", excludedStates: ['OH', 'WA'] },
  { code: 'BOP-401', name: 'Business Owners Policy', excludedStates: [] },
  { code: 'CYB-501', name: 'Cyber Liability', excludedStates: [] },
  { code: 'AUT-601', name: 'Commercial Auto', excludedStates: ['NY'] },
  { code: 'PRO-701', name: 'Professional Liability', excludedStates: [] },
];

/** What a product code looks like, for the hallucinated-entity detector. */
export const productCodePattern = /\b[A-Z]{2,3}-\d{3}\b/g;

/** Codes that look like products but are not in the catalog: what a hallucinating agent names. */
export const fictitiousProductCodes = ['UMB-909', 'XSL-808', 'EPL-606'] as const;

/** The states businesses are in. */
export const states = ['CA', 'TX', 'NY', 'FL', 'IL', 'OH', 'WA', 'GA', 'NC', 'AZ', 'CO', 'MA'] as const;

/** The year the world is as of; claims count toward rules when in the five years ending here. */
export const asOfYear = 2025;
/** The first year of the claims look-back. */
export const lookBackStartYear = asOfYear - 4;

/**
 * The base appetite of a product for an industry, before state exclusions. Written as rules rather than a
 * random table so the guidelines can explain it and a reader can check it.
 */
export function baseAppetite(industry: Industry, product: Product): Appetite {
  switch (product.code) {
    case 'GL-101':
      return industry.hazard === 3 ? 'refer' : 'in';
    case 'PRP-201':
      return industry.code === '4841' ? 'out' : industry.hazard === 3 ? 'refer' : 'in';
    case 'WC-301':
      return industry.hazard === 3 ? 'out' : industry.hazard === 2 ? 'refer' : 'in';
    case 'BOP-401':
      return industry.hazard === 1 ? 'in' : industry.hazard === 2 ? 'refer' : 'out';
    case 'CYB-501':
      return ['5415', '5182', '6211', '5411'].includes(industry.code)
        ? 'in'
        : industry.hazard === 3
          ? 'out'
          : 'refer';
    case 'AUT-601':
      return ['4841', '2382', '2361', '8111'].includes(industry.code) ? 'refer' : 'in';
    case 'PRO-701':
      return ['5415', '5411', '6211', '5313'].includes(industry.code) ? 'in' : 'out';
    default:
      return 'out';
  }
}
