import Database from 'better-sqlite3';
import { createSeededRandom, type Random } from '../../../llm/index.ts';
import { baseAppetite, industries, products, states } from './world-catalog.ts';

/** One business of the generated world. */
export interface Business {
  id: string;
  name: string;
  industryCode: string;
  state: string;
  annualRevenue: number;
  employees: number;
  yearsInBusiness: number;
}

/** One claim of a business. */
export interface Claim {
  businessId: string;
  year: number;
  kind: string;
  amount: number;
}

/** The generated world, in memory; the same data goes into the SQLite file. */
export interface World {
  businesses: Business[];
  claims: Claim[];
}

const firstWords = [
  'Harbor',
  'Summit',
  'Maple',
  'Granite',
  'Blue Sky',
  'Riverside',
  'Oak',
  'Cedar',
  'Pioneer',
  'Lakeside',
  'Golden',
  'Northern',
  'Sunset',
  'Prairie',
  'Beacon',
  'Ironwood',
];
const suffixes = ['LLC', 'Inc', 'Co', 'Group', 'Partners'];
const claimKinds = [
  'slip and fall',
  'property damage',
  'employee injury',
  'vehicle accident',
  'data breach',
  'theft',
];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Generates the world from a seed; the same seed always gives the same world. */
export function generateWorld(seed: number, businessCount = 240): World {
  const random = createSeededRandom(seed);
  const businesses: Business[] = [];
  const claims: Claim[] = [];
  for (let index = 1; index <= businessCount; index++) {
    const industry = industries[(index - 1) % industries.length]!;
    const id = `B${String(index).padStart(4, '0')}`;
    // Log-uniform between $200k and $40M, rounded to thousands: many small businesses, a few large.
    const annualRevenue = Math.round(Math.exp(Math.log(200_000) + random() * Math.log(200)) / 1000) * 1000;
    const employees = Math.max(1, Math.round((annualRevenue / 120_000) * (0.5 + random())));
    const yearsInBusiness = Math.floor(random() * 30);
    const name = `${pick(random, firstWords)} ${industry.name.split(' ')[0]} ${pick(random, suffixes)} ${index}`;
    businesses.push({
      id,
      name,
      industryCode: industry.code,
      state: pick(random, states),
      annualRevenue,
      employees,
      yearsInBusiness,
    });
    const claimCount = Math.floor(random() * random() * (industry.hazard + 3));
    for (let claim = 0; claim < claimCount; claim++) {
      claims.push({
        businessId: id,
        year: 2016 + Math.floor(random() * 10),
        kind: pick(random, claimKinds),
        amount: Math.round((1_000 + random() * random() * 150_000) / 100) * 100,
      });
    }
  }
  return { businesses, claims };
}

/** Writes the world, the catalog and the appetite matrix into a new SQLite file. */
export function writeWorldDatabase(world: World, file: string): void {
  const database = new Database(file);
  try {
    database.exec(`
      CREATE TABLE industries (code TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, hazard INTEGER NOT NULL);
      CREATE TABLE products (code TEXT PRIMARY KEY, name TEXT NOT NULL, excluded_states TEXT NOT NULL);
      CREATE TABLE appetite (industry_code TEXT NOT NULL, product_code TEXT NOT NULL, appetite TEXT NOT NULL CHECK (appetite IN ('in','refer','out')), PRIMARY KEY (industry_code, product_code));
      CREATE TABLE businesses (id TEXT PRIMARY KEY, name TEXT NOT NULL, industry_code TEXT NOT NULL REFERENCES industries(code), state TEXT NOT NULL, annual_revenue INTEGER NOT NULL, employees INTEGER NOT NULL, years_in_business INTEGER NOT NULL);
      CREATE TABLE claims (id INTEGER PRIMARY KEY, business_id TEXT NOT NULL REFERENCES businesses(id), year INTEGER NOT NULL, kind TEXT NOT NULL, amount INTEGER NOT NULL);
      CREATE TABLE decisions (business_id TEXT NOT NULL, product_code TEXT NOT NULL, decision TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');
    `);
    const insert = database.transaction(() => {
      const industry = database.prepare('INSERT INTO industries VALUES (?, ?, ?, ?)');
      for (const row of industries) industry.run(row.code, row.name, row.description, row.hazard);
      const product = database.prepare('INSERT INTO products VALUES (?, ?, ?)');
      for (const row of products) product.run(row.code, row.name, row.excludedStates.join(','));
      const appetite = database.prepare('INSERT INTO appetite VALUES (?, ?, ?)');
      for (const row of industries)
        for (const item of products) appetite.run(row.code, item.code, baseAppetite(row, item));
      const business = database.prepare('INSERT INTO businesses VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const row of world.businesses)
        business.run(
          row.id,
          row.name,
          row.industryCode,
          row.state,
          row.annualRevenue,
          row.employees,
          row.yearsInBusiness,
        );
      const claim = database.prepare(
        'INSERT INTO claims (business_id, year, kind, amount) VALUES (?, ?, ?, ?)',
      );
      for (const row of world.claims) claim.run(row.businessId, row.year, row.kind, row.amount);
    });
    insert();
  } finally {
    database.close();
  }
}
