import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261122231412 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "ledger_transaction" drop constraint if exists "ledger_transaction_gateway_external_id_unique";`);
    this.addSql(`alter table if exists "ledger_transaction" drop constraint if exists "ledger_transaction_reference_unique";`);
    this.addSql(`alter table if exists "ledger_idempotency_key" drop constraint if exists "ledger_idempotency_key_key_unique";`);
    this.addSql(`alter table if exists "ledger_balance" drop constraint if exists "ledger_balance_order_id_unique";`);
    this.addSql(`create table if not exists "ledger_balance" ("id" text not null, "order_id" text not null, "currency_code" text not null, "order_total" numeric not null default 0, "paid_total" numeric not null default 0, "refunded_total" numeric not null default 0, "chargeback_total" numeric not null default 0, "authorized_total" numeric not null default 0, "pending_total" numeric not null default 0, "net_paid" numeric not null default 0, "outstanding_amount" numeric not null default 0, "status" text check ("status" in ('settled', 'customer_owes', 'merchant_owes')) not null default 'settled', "raw_order_total" jsonb not null default '{"value":"0","precision":20}', "raw_paid_total" jsonb not null default '{"value":"0","precision":20}', "raw_refunded_total" jsonb not null default '{"value":"0","precision":20}', "raw_chargeback_total" jsonb not null default '{"value":"0","precision":20}', "raw_authorized_total" jsonb not null default '{"value":"0","precision":20}', "raw_pending_total" jsonb not null default '{"value":"0","precision":20}', "raw_net_paid" jsonb not null default '{"value":"0","precision":20}', "raw_outstanding_amount" jsonb not null default '{"value":"0","precision":20}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "ledger_balance_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_ledger_balance_order_id_unique" ON "ledger_balance" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_balance_deleted_at" ON "ledger_balance" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_balance_status_outstanding_amount" ON "ledger_balance" ("status", "outstanding_amount") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_balance_currency_code" ON "ledger_balance" ("currency_code") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "ledger_idempotency_key" ("id" text not null, "key" text not null, "request_hash" text not null, "order_id" text not null, "transaction_ids" jsonb not null, "response" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "ledger_idempotency_key_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_ledger_idempotency_key_key_unique" ON "ledger_idempotency_key" ("key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_idempotency_key_deleted_at" ON "ledger_idempotency_key" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "ledger_transaction" ("id" text not null, "order_id" text not null, "kind" text check ("kind" in ('payment', 'refund', 'chargeback', 'authorization', 'void')) not null, "status" text check ("status" in ('pending', 'succeeded', 'failed', 'requires_action')) not null default 'succeeded', "amount" numeric not null, "currency_code" text not null, "reference" text not null default 'manual', "reference_id" text null, "parent_id" text null, "payment_method" text check ("payment_method" in ('card', 'gift_card', 'store_credit', 'cash', 'bank_transfer', 'wallet', 'other')) not null default 'other', "gateway" text not null default 'manual', "external_id" text null, "fee" numeric null, "card_brand" text check ("card_brand" in ('visa', 'mastercard', 'amex', 'discover', 'diners', 'jcb', 'unionpay', 'other')) null, "card_last4" text null, "message" text null, "reason" text null, "note" text null, "occurred_at" timestamptz not null, "metadata" jsonb null, "raw_amount" jsonb not null, "raw_fee" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "ledger_transaction_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_transaction_deleted_at" ON "ledger_transaction" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_transaction_order_id_occurred_at" ON "ledger_transaction" ("order_id", "occurred_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_transaction_parent_id" ON "ledger_transaction" ("parent_id") WHERE parent_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_transaction_created_at" ON "ledger_transaction" ("created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_transaction_occurred_at" ON "ledger_transaction" ("occurred_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_transaction_external_id" ON "ledger_transaction" ("external_id") WHERE external_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_ledger_transaction_reference_unique" ON "ledger_transaction" ("reference", "reference_id") WHERE reference_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_ledger_transaction_gateway_external_id_unique" ON "ledger_transaction" ("gateway", "external_id") WHERE external_id IS NOT NULL AND deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ledger_balance" cascade;`);

    this.addSql(`drop table if exists "ledger_idempotency_key" cascade;`);

    this.addSql(`drop table if exists "ledger_transaction" cascade;`);
  }

}
