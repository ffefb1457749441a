import type Database from 'better-sqlite3';
import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../../../agent/index.ts';
import { products } from './world-catalog.ts';

const maxRows = 50;

/** `sql_query`: one read-only SQL statement over the world database; errors go back to the model. */
export function createSqlQueryTool(database: Database.Database): Tool {
  return defineTool({
    name: 'sql_query',
    description:
      'Run one read-only SQL query (SQLite) over the underwriting database. Tables: industries(code, name, ' +
      'description, hazard), products(code, name, excluded_states), appetite(industry_code, product_code, ' +
      `appetite), businesses(id, name, industry_code, state, annual_revenue, employees, years_in_business), claims(id, business_id, year, kind, amount). At most ${maxRows} rows are returned.`,
    inputSchema: z.object({ sql: z.string().min(1).describe('One SELECT statement.') }),
    async execute(input) {
      let statement: Database.Statement;
      try {
        statement = database.prepare(input.sql);
      } catch (error) {
        throw new ToolError(`invalid SQL: ${(error as Error).message}`, { sql: input.sql });
      }
      if (!statement.reader || !statement.readonly)
        throw new ToolError('only read-only queries are allowed', { sql: input.sql });
      let rows: unknown[];
      try {
        rows = statement.all();
      } catch (error) {
        throw new ToolError(`query failed: ${(error as Error).message}`, { sql: input.sql });
      }
      const shown = rows.slice(0, maxRows);
      const note = rows.length > maxRows ? `\n(${rows.length - maxRows} more rows not shown)` : '';
      return { output: `${JSON.stringify(shown)}${note}`, details: { sql: input.sql, rows: rows.length } };
    },
  });
}

/** `lookup_guideline`: one section of the underwriting guidelines by topic. */
export function createLookupGuidelineTool(sections: Readonly<Record<string, string>>): Tool {
  const topics = Object.keys(sections);
  return defineTool({
    name: 'lookup_guideline',
    description: `Read one section of the underwriting guidelines. Topics: ${topics.join(', ')}.`,
    inputSchema: z.object({ topic: z.string().min(1) }),
    async execute(input) {
      const section = sections[input.topic.toLowerCase()];
      if (section === undefined)
        throw new ToolError(`no guideline on "${input.topic}"; topics: ${topics.join(', ')}`);
      return { output: section, details: { topic: input.topic } };
    },
  });
}

/** `record_decision`: writes an appetite decision into the `decisions` table (graded by a state check). */
export function createRecordDecisionTool(database: Database.Database): Tool {
  const productCodes = products.map((product) => product.code);
  return defineTool({
    name: 'record_decision',
    description: 'Record an appetite decision for a business and a product.',
    inputSchema: z.object({
      businessId: z.string().min(1),
      productCode: z.string().min(1),
      decision: z.enum(['in', 'refer', 'out']),
      note: z.string().default(''),
    }),
    async execute(input) {
      const business = database.prepare('SELECT id FROM businesses WHERE id = ?').get(input.businessId);
      if (business === undefined) throw new ToolError(`no business with id ${input.businessId}`);
      if (!productCodes.includes(input.productCode))
        throw new ToolError(`no product ${input.productCode}; products: ${productCodes.join(', ')}`);
      database
        .prepare('INSERT INTO decisions (business_id, product_code, decision, note) VALUES (?, ?, ?, ?)')
        .run(input.businessId, input.productCode, input.decision, input.note);
      return {
        output: `recorded ${input.decision} for ${input.businessId} / ${input.productCode}`,
        details: input,
      };
    },
  });
}
