ALTER TABLE "outbox" ADD COLUMN "done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "sending_since" timestamp with time zone;--> statement-breakpoint
-- Rows relayed before this migration are taken as done: the recovery pass relays again only what it can tell was
-- published and not carried out since.
UPDATE "outbox" SET "done_at" = "published_at" WHERE "published_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_undone_idx" ON "outbox" USING btree ("id") WHERE "outbox"."done_at" is null;
