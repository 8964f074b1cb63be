import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The change log (`ledger_change`): an append-only record of every ledger change, written by
 * triggers in the same database transaction as the change, so no code path (a workflow, a
 * compensation, MedusaService's generated update methods, a hand-run SQL) can change the ledger
 * without it. Not a data model on purpose: the module generates no update or delete methods for it,
 * and a trigger refuses both.
 *
 * - `order_transaction.created`: a row inserted (version 1).
 * - `order_transaction.updated`: a row changed (its `version` + 1; an update that changes nothing
 *   but `updated_at` is skipped, so it makes no change; linking its Medusa payment is no change
 *   either), or removed by a compensation (`deleted_at`).
 * - `order_balance.updated`: a balance's status moved (customer_owes → settled, …).
 *
 * Each change holds the record as it left it (`object`), the changed fields' values before
 * (`previous`), the version, who acted (`order_ledger.actor`, set per database transaction by the
 * service; the system when unset) and the idempotency key. The feed's total order is (`txid`,
 * `seq`): a reader that hands out only changes of transactions older than the oldest still in
 * flight (`pg_snapshot_xmin`) never skips one that commits late.
 *
 * Transactions recorded before this migration get their `created` change now (actor
 * `system:migration`, their own `created_at`); the Medusa-events consumer starts after them, so
 * they are not announced again.
 */
export class Migration20261202055532 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "ledger_balance" add column if not exists "version" integer not null default 1;`);

    this.addSql(`alter table if exists "ledger_transaction" add column if not exists "version" integer not null default 1;`);

    // Keyset pages of the two lists by updated_at.
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_balance_updated_at_id" ON "ledger_balance" ("updated_at", "id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_transaction_updated_at_id" ON "ledger_transaction" ("updated_at", "id") WHERE deleted_at IS NULL;`);

    this.addSql(`create sequence if not exists "ledger_change_seq";`);
    this.addSql(`create table if not exists "ledger_change" (
      "id" text not null default ('olchg_' || upper(replace(gen_random_uuid()::text, '-', ''))),
      "txid" xid8 not null default pg_current_xact_id(),
      "seq" bigint not null default nextval('ledger_change_seq'),
      "type" text not null,
      "resource_id" text not null,
      "order_id" text not null,
      "version" integer not null,
      "actor" jsonb not null,
      "idempotency_key" text null,
      "object" jsonb not null,
      "previous" jsonb null,
      "created_at" timestamptz not null default now(),
      constraint "ledger_change_pkey" primary key ("id"));`);
    this.addSql(`create unique index if not exists "IDX_ledger_change_feed" on "ledger_change" ("txid", "seq");`);
    this.addSql(`create index if not exists "IDX_ledger_change_resource" on "ledger_change" ("resource_id", "txid", "seq");`);

    // Readers of the feed inside Medusa (the Medusa-events publisher) and where each has got to.
    this.addSql(`create table if not exists "ledger_change_consumer" (
      "name" text not null,
      "after_txid" xid8 not null default '0',
      "after_seq" bigint not null default 0,
      "updated_at" timestamptz not null default now(),
      constraint "ledger_change_consumer_pkey" primary key ("name"));`);

    this.addSql(`create or replace function ledger_change_actor() returns jsonb language sql stable as $$
      select coalesce(nullif(current_setting('order_ledger.actor', true), '')::jsonb, '{"type":"system","id":"order-ledger"}'::jsonb)
    $$;`);
    this.addSql(`create or replace function ledger_change_idempotency_key() returns text language sql stable as $$
      select nullif(current_setting('order_ledger.idempotency_key', true), '')
    $$;`);
    // The fields whose values differ between two versions of a row, with their old values.
    this.addSql(`create or replace function ledger_change_previous(old_row jsonb, new_row jsonb) returns jsonb language sql immutable as $$
      select coalesce(jsonb_object_agg(o.key, o.value), '{}'::jsonb) from jsonb_each(old_row) o
      where o.key not in ('updated_at', 'version') and (new_row -> o.key) is distinct from o.value
    $$;`);

    this.addSql(`create or replace function ledger_change_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'ledger_change is append-only' using errcode = 'restrict_violation';
      end $$;`);
    this.addSql(`create trigger "ledger_change_append_only" before update or delete on "ledger_change"
      for each row execute function ledger_change_append_only();`);

    // A transaction's version, and no change at all for an update that changes nothing. Linking
    // the Medusa payment that carries a row's money (medusa_payment_id) is the plugin's own
    // bookkeeping, not a change of the record: written, with no new version and no change.
    this.addSql(`create or replace function ledger_transaction_versioned() returns trigger language plpgsql as $$
      begin
        if (to_jsonb(new) - 'updated_at' - 'version' - 'medusa_payment_id') = (to_jsonb(old) - 'updated_at' - 'version' - 'medusa_payment_id') then
          if new.medusa_payment_id is distinct from old.medusa_payment_id then
            return new;
          end if;
          return null;
        end if;
        new.version := old.version + 1;
        return new;
      end $$;`);
    this.addSql(`create trigger "ledger_transaction_versioned" before update on "ledger_transaction"
      for each row execute function ledger_transaction_versioned();`);

    // Who acts is read once per statement, not once per row.
    this.addSql(`create or replace function ledger_transaction_log_insert() returns trigger language plpgsql as $$
      declare
        acting jsonb := ledger_change_actor();
        key text := ledger_change_idempotency_key();
      begin
        insert into ledger_change (type, resource_id, order_id, version, actor, idempotency_key, object, previous)
        select 'order_transaction.created', n.id, n.order_id, n.version, acting, key, to_jsonb(n), null
        from new_rows n order by n.id;
        return null;
      end $$;`);
    this.addSql(`create trigger "ledger_transaction_log_insert" after insert on "ledger_transaction"
      referencing new table as new_rows for each statement execute function ledger_transaction_log_insert();`);

    this.addSql(`create or replace function ledger_transaction_log_update() returns trigger language plpgsql as $$
      declare
        acting jsonb := ledger_change_actor();
        key text := ledger_change_idempotency_key();
      begin
        insert into ledger_change (type, resource_id, order_id, version, actor, idempotency_key, object, previous)
        select 'order_transaction.updated', n.id, n.order_id, n.version, acting, key,
          to_jsonb(n), ledger_change_previous(to_jsonb(o), to_jsonb(n))
        from new_rows n join old_rows o on o.id = n.id
        where n.version <> o.version order by n.id;
        return null;
      end $$;`);
    this.addSql(`create trigger "ledger_transaction_log_update" after update on "ledger_transaction"
      referencing old table as old_rows new table as new_rows for each statement execute function ledger_transaction_log_update();`);

    this.addSql(`create or replace function ledger_transaction_log_delete() returns trigger language plpgsql as $$
      begin
        insert into ledger_change (type, resource_id, order_id, version, actor, idempotency_key, object, previous)
        select 'order_transaction.updated', o.id, o.order_id, o.version + 1, ledger_change_actor(), ledger_change_idempotency_key(),
          to_jsonb(o) || jsonb_build_object('deleted_at', now(), 'version', o.version + 1), jsonb_build_object('deleted_at', null)
        from old_rows o where o.deleted_at is null order by o.id;
        return null;
      end $$;`);
    this.addSql(`create trigger "ledger_transaction_log_delete" after delete on "ledger_transaction"
      referencing old table as old_rows for each statement execute function ledger_transaction_log_delete();`);

    // A balance's version moves with its status; only status moves are changes. Row triggers with
    // a WHEN condition: every write refreshes a balance, and the condition is checked without
    // calling a function, so a refresh that moves no status costs next to nothing.
    this.addSql(`create or replace function ledger_balance_versioned() returns trigger language plpgsql as $$
      begin
        new.version := old.version + 1;
        return new;
      end $$;`);
    this.addSql(`create trigger "ledger_balance_versioned" before update on "ledger_balance"
      for each row when (old.status is distinct from new.status) execute function ledger_balance_versioned();`);

    this.addSql(`create or replace function ledger_balance_log_update() returns trigger language plpgsql as $$
      begin
        insert into ledger_change (type, resource_id, order_id, version, actor, idempotency_key, object, previous)
        values ('order_balance.updated', new.id, new.order_id, new.version, ledger_change_actor(), ledger_change_idempotency_key(),
          to_jsonb(new), ledger_change_previous(to_jsonb(old), to_jsonb(new)));
        return null;
      end $$;`);
    this.addSql(`create trigger "ledger_balance_log_update" after update on "ledger_balance"
      for each row when (old.status is distinct from new.status) execute function ledger_balance_log_update();`);

    // What was recorded before the change log: its creation, once, not announced again.
    this.addSql(`insert into ledger_change (type, resource_id, order_id, version, actor, object, previous, created_at)
      select 'order_transaction.created', t.id, t.order_id, t.version, '{"type":"system","id":"migration"}'::jsonb, to_jsonb(t), null, t.created_at
      from ledger_transaction t where t.deleted_at is null order by t.created_at, t.id;`);
    this.addSql(`insert into ledger_change_consumer (name, after_txid, after_seq)
      select 'medusa-events', pg_current_xact_id(), coalesce(max(seq), 0) from ledger_change
      on conflict (name) do nothing;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "ledger_balance_log_update" on "ledger_balance";`);
    this.addSql(`drop trigger if exists "ledger_balance_versioned" on "ledger_balance";`);
    this.addSql(`drop trigger if exists "ledger_transaction_log_delete" on "ledger_transaction";`);
    this.addSql(`drop trigger if exists "ledger_transaction_log_update" on "ledger_transaction";`);
    this.addSql(`drop trigger if exists "ledger_transaction_log_insert" on "ledger_transaction";`);
    this.addSql(`drop trigger if exists "ledger_transaction_versioned" on "ledger_transaction";`);
    this.addSql(`drop table if exists "ledger_change_consumer" cascade;`);
    this.addSql(`drop table if exists "ledger_change" cascade;`);
    this.addSql(`drop sequence if exists "ledger_change_seq";`);
    this.addSql(`drop function if exists ledger_balance_log_update(), ledger_balance_versioned(), ledger_transaction_log_delete(),
      ledger_transaction_log_update(), ledger_transaction_log_insert(), ledger_transaction_versioned(), ledger_change_append_only(),
      ledger_change_previous(jsonb, jsonb), ledger_change_idempotency_key(), ledger_change_actor();`);

    this.addSql(`drop index if exists "IDX_ledger_balance_updated_at_id";`);
    this.addSql(`drop index if exists "IDX_ledger_transaction_updated_at_id";`);

    this.addSql(`alter table if exists "ledger_balance" drop column if exists "version";`);

    this.addSql(`alter table if exists "ledger_transaction" drop column if exists "version";`);
  }

}
