import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202060002 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "ledger_webhook_delivery" drop constraint if exists "ledger_webhook_delivery_endpoint_change_unique";`);
    this.addSql(`create table if not exists "ledger_webhook_delivery" ("id" text not null, "endpoint_id" text not null, "change_id" text not null, "change_type" text not null, "position" integer not null, "payload" text not null, "status" text check ("status" in ('pending', 'succeeded', 'failed')) not null default 'pending', "attempts" integer not null default 0, "last_status_code" integer null, "last_error" text null, "last_duration_ms" integer null, "first_attempted_at" timestamptz null, "last_attempted_at" timestamptz null, "next_attempt_at" timestamptz null, "locked_until" timestamptz null, "delivered_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "ledger_webhook_delivery_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_webhook_delivery_deleted_at" ON "ledger_webhook_delivery" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_ledger_webhook_delivery_endpoint_change_unique" ON "ledger_webhook_delivery" ("endpoint_id", "change_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_webhook_delivery_endpoint_id_position" ON "ledger_webhook_delivery" ("endpoint_id", "position") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_webhook_delivery_endpoint_id_locked_until" ON "ledger_webhook_delivery" ("endpoint_id", "locked_until") WHERE status = 'pending' AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_webhook_delivery_next_attempt_at" ON "ledger_webhook_delivery" ("next_attempt_at") WHERE status = 'pending' AND deleted_at IS NULL;`);

    this.addSql(`create table if not exists "ledger_webhook_endpoint" ("id" text not null, "url" text not null, "events" text[] null, "description" text null, "enabled" boolean not null default true, "secret" text not null, "status" text check ("status" in ('active', 'failing')) not null default 'active', "cursor" text null, "failing_since" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "ledger_webhook_endpoint_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_ledger_webhook_endpoint_deleted_at" ON "ledger_webhook_endpoint" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ledger_webhook_delivery" cascade;`);

    this.addSql(`drop table if exists "ledger_webhook_endpoint" cascade;`);
  }

}
