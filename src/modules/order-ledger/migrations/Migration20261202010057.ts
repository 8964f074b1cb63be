import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202010057 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "ledger_reconcile_run" ("id" text not null, "status" text check ("status" in ('running', 'done', 'failed')) not null default 'running', "progress" jsonb null, "result" jsonb null, "error" text null, "finished_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "ledger_reconcile_run_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_reconcile_run_deleted_at" ON "ledger_reconcile_run" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "ledger_transaction" drop constraint if exists "ledger_transaction_kind_check";`);

    this.addSql(`alter table if exists "ledger_balance" add column if not exists "reversed_total" numeric not null default 0, add column if not exists "raw_reversed_total" jsonb not null default '{"value":"0","precision":20}';`);

    this.addSql(`alter table if exists "ledger_transaction" add column if not exists "medusa_payment_id" text null;`);
    this.addSql(`alter table if exists "ledger_transaction" add constraint "ledger_transaction_kind_check" check("kind" in ('payment', 'refund', 'chargeback', 'authorization', 'void', 'reversal'));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_transaction_medusa_payment_id" ON "ledger_transaction" ("medusa_payment_id") WHERE medusa_payment_id IS NOT NULL AND deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ledger_reconcile_run" cascade;`);

    this.addSql(`alter table if exists "ledger_transaction" drop constraint if exists "ledger_transaction_kind_check";`);

    this.addSql(`alter table if exists "ledger_balance" drop column if exists "reversed_total", drop column if exists "raw_reversed_total";`);

    this.addSql(`drop index if exists "IDX_ledger_transaction_medusa_payment_id";`);
    this.addSql(`alter table if exists "ledger_transaction" drop column if exists "medusa_payment_id";`);

    this.addSql(`alter table if exists "ledger_transaction" add constraint "ledger_transaction_kind_check" check("kind" in ('payment', 'refund', 'chargeback', 'authorization', 'void'));`);
  }

}
