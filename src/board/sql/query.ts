import {
  type Compilable,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { BoardDatabase } from '../tables.ts';

/** The SQL dialects the board speaks. */
export type Dialect = 'sqlite' | 'postgres';

/** A named slot in a prepared query, filled from the arguments at execution time. */
class Placeholder {
  constructor(readonly name: string) {}
}

/** Everything a query definition gets to build its SQL once per dialect and shape. */
export interface QueryBuildContext<Params, Shape> {
  /** A kysely instance that only compiles, never executes. */
  db: Kysely<BoardDatabase>;
  /** Stands for an argument; the value is supplied by `args` when the query runs. */
  param: <Key extends keyof Params & string>(name: Key) => Params[Key];
  dialect: Dialect;
  /** Whatever changes the SQL text (a filter present or not, a list length); part of the cache key. */
  shape: Shape;
}

/** A query compiled to SQL text and an argument order; running it only binds values. */
export interface CompiledQuery {
  readonly sql: string;
  readonly slots: readonly ({ type: 'arg'; name: string } | { type: 'constant'; value: unknown })[];
}

/**
 * A query built with kysely once per dialect and shape, then reused. Building and compiling a
 * kysely query costs tens of microseconds, more than SQLite needs to run it, so the hot paths
 * (claim, complete) compile once and only bind values afterwards; SQLite and PostgreSQL still
 * share the one query definition.
 */
export interface PreparedQuery<Params, Row, Shape = undefined> {
  compile(dialect: Dialect, shape: Shape): CompiledQuery;
  /** Never set; carries the argument type so runners check the arguments they are given. */
  readonly paramsType?: Params;
  /** Never set; carries the row type. */
  readonly rowType?: Row;
}

function compilerKysely(dialect: Dialect): Kysely<BoardDatabase> {
  return new Kysely<BoardDatabase>({
    dialect: {
      createAdapter: () => (dialect === 'sqlite' ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) =>
        dialect === 'sqlite' ? new SqliteIntrospector(db) : new PostgresIntrospector(db),
      createQueryCompiler: () =>
        dialect === 'sqlite' ? new SqliteQueryCompiler() : new PostgresQueryCompiler(),
    },
  });
}

/** Defines a query; `build` runs once per dialect and shape. */
export function defineQuery<Params, Row, Shape = undefined>(
  build: (context: QueryBuildContext<Params, Shape>) => Compilable<Row>,
): PreparedQuery<Params, Row, Shape> {
  const cache = new Map<string, CompiledQuery>();
  const compilers = new Map<Dialect, Kysely<BoardDatabase>>();
  return {
    compile(dialect, shape) {
      const key = `${dialect}:${shape === undefined ? '' : JSON.stringify(shape)}`;
      const cached = cache.get(key);
      if (cached) return cached;
      let db = compilers.get(dialect);
      if (!db) {
        db = compilerKysely(dialect);
        compilers.set(dialect, db);
      }
      // the placeholders are plain objects to kysely, so each becomes one bound parameter in order
      const param = ((name: string) => new Placeholder(name)) as QueryBuildContext<Params, Shape>['param'];
      const compiled = build({ db, param, dialect, shape }).compile();
      const result: CompiledQuery = {
        sql: compiled.sql,
        slots: compiled.parameters.map((value) =>
          value instanceof Placeholder ? { type: 'arg', name: value.name } : { type: 'constant', value },
        ),
      };
      cache.set(key, result);
      return result;
    },
  };
}

/** Orders the arguments of a compiled query into the positional values the driver binds. */
export function bindArguments(query: CompiledQuery, args: Record<string, unknown>): unknown[] {
  return query.slots.map((slot) => {
    if (slot.type === 'constant') return slot.value;
    const value = args[slot.name];
    if (value === undefined) throw new Error(`query argument "${slot.name}" is missing`);
    return value;
  });
}

/** Compiles one-off DDL or queries with the compile-only kysely of a dialect. */
export function compileOnce(dialect: Dialect, build: (db: Kysely<BoardDatabase>) => Compilable<unknown>) {
  return build(compilerKysely(dialect)).compile();
}
