import { asOfYear, industries, lookBackStartYear, products } from './world-catalog.ts';

/** The underwriting guidelines, one markdown section per topic; the rules in underwriting-rules.ts implement them. */
export function guidelineSections(): Record<string, string> {
  const exclusions = products
    .filter((product) => product.excludedStates.length > 0)
    .map(
      (product) => `- ${product.code} ${product.name}: not written in ${product.excludedStates.join(', ')}`,
    )
    .join('\n');
  return {
    appetite: `# 1. Appetite
The appetite table (SQL table \`appetite\`) gives, for each industry code and product code, one of
\`in\` (write it), \`refer\` (write it only with a senior underwriter's referral) or \`out\` (decline).
State exclusions override the table: a product is \`out\` in a state where it is not written.
${exclusions}`,
    recommendation: `# 2. Product recommendation
Recommend every product whose appetite for the business (after state exclusions) is \`in\`, listed by
product code in catalog order, separated by commas. Products that are \`refer\` are not recommended.
Answer \`none\` when no product is \`in\`.`,
    limits: `# 3. General Liability limits
The per-occurrence limit for GL-101 follows annual revenue:
- under $1,000,000: $500,000
- $1,000,000 to under $5,000,000: $1,000,000
- $5,000,000 to under $20,000,000: $2,000,000
- $20,000,000 and above: $3,000,000
High-hazard classes (hazard 3 in the \`industries\` table) are capped at $1,000,000.`,
    deductibles: `# 4. Commercial Property deductibles
Count the business's claims in the look-back window (${lookBackStartYear} to ${asOfYear}, inclusive):
- no claims: $1,000
- one claim: $2,500
- two or three claims: $5,000
- four or more claims: $10,000
Double the deductible for high-hazard classes (hazard 3).`,
    eligibility: `# 5. Eligibility
A business is eligible for a product when all hold:
- the product's appetite for it (after state exclusions) is not \`out\`;
- it has been in business for at least 3 years;
- it has at most 3 claims in the look-back window (${lookBackStartYear} to ${asOfYear});
- those claims total at most $250,000.
Answer \`yes\` or \`no\`.`,
    classification: `# 6. Classification
Classify a business by the industry whose description in the \`industries\` table matches what it does.
Answer with the four-digit industry code. Known classes: ${industries.map((industry) => industry.code).join(', ')}.`,
    claims: `# 7. Loss history
Loss history is the sum of claim amounts (table \`claims\`) in the look-back window (${lookBackStartYear} to
${asOfYear}, inclusive), in whole dollars.`,
    decisions: `# 8. Recording decisions
Record every appetite decision with the \`record_decision\` tool (business id, product code, and the
decision \`in\`, \`refer\` or \`out\`), then state it in your answer.`,
  };
}
