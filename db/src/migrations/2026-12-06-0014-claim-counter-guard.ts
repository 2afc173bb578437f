import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// claim_items.active_claims counts the item's claims that are not withdrawn; it is kept as
// a counter because claims on one item queue on the item's row lock and the counter's CHECK
// is the last word on capacity. Nothing made the counter agree with the claims rows, and the
// demo data did not (a confirmed claim on an item counting 0). A deferred constraint trigger
// now checks, at commit, every item whose claims or counter changed in the transaction, so
// the database refuses to disagree with itself whichever code path wrote it.
const statements = [
  // Existing rows first: the counter is what the claims rows say.
  `update claim_items i set active_claims = c.n
     from (select i2.id, count(cl.id) filter (where cl.status <> 'withdrawn')::int as n
             from claim_items i2 left join claims cl on cl.item_id = i2.id group by i2.id) c
    where c.id = i.id and i.active_claims <> c.n`,
  `create function check_claim_item_counter(item uuid) returns void language plpgsql as $$
     declare
       counted integer;
       recorded integer;
     begin
       select active_claims into recorded from claim_items where id = item;
       if not found then return; end if;
       select count(*) into counted from claims where item_id = item and status <> 'withdrawn';
       if recorded <> counted then
         raise exception 'claim item % counts % active claims but has %', item, recorded, counted
           using errcode = '23514', constraint = 'claim_items_active_claims_agree';
       end if;
     end $$`,
  `create function claims_counter_agrees() returns trigger language plpgsql as $$
     begin
       if tg_op <> 'INSERT' then perform check_claim_item_counter(old.item_id); end if;
       if tg_op <> 'DELETE' then perform check_claim_item_counter(new.item_id); end if;
       return null;
     end $$`,
  `create function claim_items_counter_agrees() returns trigger language plpgsql as $$
     begin
       perform check_claim_item_counter(new.id);
       return null;
     end $$`,
  `create constraint trigger claims_counter_agrees
     after insert or delete or update of status, item_id on claims
     deferrable initially deferred for each row execute function claims_counter_agrees()`,
  `create constraint trigger claim_items_counter_agrees
     after insert or update of active_claims on claim_items
     deferrable initially deferred for each row execute function claim_items_counter_agrees()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists claim_items_counter_agrees on claim_items`.execute(db);
  await sql`drop trigger if exists claims_counter_agrees on claims`.execute(db);
  await sql`drop function if exists claim_items_counter_agrees()`.execute(db);
  await sql`drop function if exists claims_counter_agrees()`.execute(db);
  await sql`drop function if exists check_claim_item_counter(uuid)`.execute(db);
}
