import { createSeededRandom } from '../../../llm/index.ts';
import type { SimulationPlan } from '../../sim/simulation-plan.ts';
import type { Sample } from '../../suite.ts';
import type { World } from './generate-world.ts';
import {
  appetiteFor,
  generalLiabilityLimit,
  industryOf,
  isEligible,
  propertyDeductible,
  recentClaims,
  recommendedProducts,
} from './underwriting-rules.ts';
import {
  businessQuery,
  claimsQuery,
  guideline,
  otherAppetite,
  planOf,
  sample,
} from './underwriting-sample-parts.ts';
import { industries, products, states } from './world-catalog.ts';

/** A sample with the oracle's plan for it. */
export interface PlannedSample {
  sample: Sample;
  plan: SimulationPlan;
}

const samplesPerType = 8;
/** 72 samples over nine task types, with references computed from the world by the guideline rules. */
export function buildUnderwritingSamples(world: World, seed: number): PlannedSample[] {
  const random = createSeededRandom(seed ^ 0x5eed);
  const pickBusiness = () => world.businesses[Math.floor(random() * world.businesses.length)]!;
  const pickProduct = () => products[Math.floor(random() * products.length)]!;
  const planned: PlannedSample[] = [];
  for (let index = 0; index < samplesPerType; index++) {
    const n = String(index + 1).padStart(2, '0');
    {
      const business = pickBusiness();
      const product = pickProduct();
      const answer = appetiteFor(business, product.code);
      planned.push({
        sample: sample(
          `appetite-${n}`,
          'appetite',
          `What is our appetite (in, refer or out) for ${product.code} ${product.name} for business ${business.id}?`,
          answer,
          'normalized',
        ),
        plan: planOf(
          [
            businessQuery(business),
            guideline('appetite'),
            {
              name: 'sql_query',
              input: {
                sql: `SELECT appetite FROM appetite WHERE industry_code = '${business.industryCode}' AND product_code = '${product.code}'`,
              },
            },
          ],
          answer,
          otherAppetite[answer],
        ),
      });
    }
    {
      const business = pickBusiness();
      const list = recommendedProducts(business);
      const answer = list.length === 0 ? 'none' : list.join(', ');
      const wrong =
        products
          .map((product) => product.code)
          .filter((code) => !list.includes(code))
          .slice(0, 1)
          .concat(list.slice(1))
          .join(', ') || 'GL-101';
      planned.push({
        sample: sample(
          `recommendation-${n}`,
          'recommendation',
          `Which products should we recommend for business ${business.id}? List product codes separated by commas, or none.`,
          answer,
          'set',
        ),
        plan: planOf(
          [
            businessQuery(business),
            guideline('recommendation'),
            {
              name: 'sql_query',
              input: { sql: `SELECT * FROM appetite WHERE industry_code = '${business.industryCode}'` },
            },
          ],
          answer,
          wrong,
        ),
      });
    }
    {
      const business = pickBusiness();
      const limit = generalLiabilityLimit(business.annualRevenue, industryOf(business).hazard);
      planned.push({
        sample: sample(
          `limits-${n}`,
          'limits',
          `What per-occurrence limit for GL-101 General Liability should we offer business ${business.id}? Answer in dollars.`,
          String(limit),
          'numeric',
        ),
        plan: planOf(
          [businessQuery(business), guideline('limits')],
          String(limit),
          String(limit === 500_000 ? 1_000_000 : limit / 2),
        ),
      });
    }
    {
      const business = pickBusiness();
      const deductible = propertyDeductible(world, business);
      planned.push({
        sample: sample(
          `deductible-${n}`,
          'deductible',
          `What Commercial Property (PRP-201) deductible applies to business ${business.id}? Answer in dollars.`,
          String(deductible),
          'numeric',
        ),
        plan: planOf(
          [businessQuery(business), claimsQuery(business), guideline('deductibles')],
          String(deductible),
          String(deductible + 1_500),
        ),
      });
    }
    {
      const industry = industries[(index * 5 + 3) % industries.length]!;
      const other = industries[(index * 5 + 4) % industries.length]!;
      planned.push({
        sample: sample(
          `classification-${n}`,
          'classification',
          `A new applicant says: "we run ${industry.description}". Which industry code applies?`,
          industry.code,
          'normalized',
        ),
        plan: planOf(
          [{ name: 'sql_query', input: { sql: 'SELECT code, description FROM industries' } }],
          industry.code,
          other.code,
        ),
      });
    }
    {
      const business = pickBusiness();
      const product = pickProduct();
      const answer = isEligible(world, business, product.code) ? 'yes' : 'no';
      planned.push({
        sample: sample(
          `eligibility-${n}`,
          'eligibility',
          `Is business ${business.id} eligible for ${product.code} ${product.name}? Answer yes or no.`,
          answer,
          'normalized',
        ),
        plan: planOf(
          [businessQuery(business), claimsQuery(business), guideline('eligibility')],
          answer,
          answer === 'yes' ? 'no' : 'yes',
        ),
      });
    }
    {
      const business = pickBusiness();
      const total = recentClaims(world, business.id).total;
      planned.push({
        sample: sample(
          `loss-history-${n}`,
          'loss-history',
          `What is the total of business ${business.id}'s claims in the look-back window? Answer in dollars.`,
          String(total),
          'numeric',
        ),
        plan: planOf([claimsQuery(business), guideline('claims')], String(total), String(total + 5_000)),
      });
    }
    {
      const business = pickBusiness();
      const product = pickProduct();
      const decision = appetiteFor(business, product.code);
      const call = (value: string) => ({
        name: 'record_decision',
        input: { businessId: business.id, productCode: product.code, decision: value },
      });
      planned.push({
        sample: sample(
          `decision-${n}`,
          'decision',
          `Decide our appetite for ${product.code} for business ${business.id}, record the decision with record_decision, and answer with it.`,
          decision,
          'decision',
          { businessId: business.id, productCode: product.code },
        ),
        plan: planOf(
          [businessQuery(business), guideline('appetite'), call(decision)],
          decision,
          otherAppetite[decision],
          { wrongCalls: [businessQuery(business), call(otherAppetite[decision])] },
        ),
      });
    }
    {
      // Multi-turn: the prospect is not in the database; the junior underwriter knows its revenue and state.
      const industry = industries[(index * 3 + 1) % industries.length]!;
      const revenue = Math.round((300_000 + random() * 30_000_000) / 1000) * 1000;
      const state = states[index % states.length]!;
      const limit = generalLiabilityLimit(revenue, industry.hazard);
      const base = sample(
        `prospect-limit-${n}`,
        'prospect-limit',
        `A junior underwriter has a new prospect in ${industry.name.toLowerCase()} (industry ${industry.code}) that is not in the database yet. Ask them for what you need, then say what GL-101 per-occurrence limit to offer, in dollars.`,
        String(limit),
        'numeric',
      );
      planned.push({
        sample: {
          ...base,
          hiddenFacts: [
            {
              key: 'revenue',
              keywords: ['revenue', 'sales', 'turnover'],
              value: `Their annual revenue is $${revenue.toLocaleString('en-US')}.`,
            },
            {
              key: 'state',
              keywords: ['state', 'located', 'location'],
              value: `They are located in ${state}.`,
            },
            {
              key: 'employees',
              keywords: ['employees', 'staff', 'headcount'],
              value: `They have about ${Math.max(2, Math.round(revenue / 150_000))} employees.`,
            },
          ],
        },
        plan: planOf([guideline('limits')], String(limit), String(limit === 500_000 ? 1_000_000 : 500_000), {
          questions: ["What is the prospect's annual revenue?"],
        }),
      });
    }
  }
  return planned;
}
