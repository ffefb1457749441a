/** The channel every event append notifies, with the run id as payload. */
export const eventsChannel = 'cadre_events';

// the advisory lock that puts event appends in commit order (see below); distinct from the
// migration lock's key
const eventOrderLockKey = 0x63616473;

/**
 * PostgreSQL-only statements of the first schema step: triggers that keep event seqs in commit
 * order and NOTIFY in the transaction that appends an event, so followers in every process wake
 * when it commits and never otherwise. Triggers rather than statements sent by the executor: they
 * cost no round trip, and no writer (a future tool, a hand-written fix) can append an event
 * without them.
 */
export function eventTriggerStatements(): { sql: string; parameters: readonly unknown[] }[] {
  return [
    // Readers page the log by seq ("everything after 41"), which is only safe if seqs become
    // visible in order. Concurrent transactions would commit 42 before 41 and a reader would
    // skip 41 for ever; so a transaction that appends takes this lock first, draws its seq under
    // it and keeps it until it commits. SQLite gets the same order from its single writer.
    {
      sql: `create function cadre_order_event() returns trigger language plpgsql as $$
begin
  perform pg_advisory_xact_lock(${eventOrderLockKey});
  new.seq := nextval('events_seq_seq'::regclass);
  return new;
end $$`,
      parameters: [],
    },
    {
      sql: 'create trigger events_order before insert on events for each row execute function cadre_order_event()',
      parameters: [],
    },
    {
      sql: `create function cadre_notify_event() returns trigger language plpgsql as $$
begin
  perform pg_notify('${eventsChannel}', new.run_id);
  return null;
end $$`,
      parameters: [],
    },
    {
      sql: 'create trigger events_notify after insert on events for each row execute function cadre_notify_event()',
      parameters: [],
    },
  ];
}
