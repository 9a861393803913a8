-- The SLA flags become the sweep's events alone (DOMAIN.md §6). The sweep always wrote an event with each flag, so
-- the events already hold every flag set so far, at most one of each type per dossier, and the columns can go.
-- Why: setting a flag column rewrote the whole dossier row (and, without room on its page, touched all nine of
-- its indexes); with a million dossiers overdue at once that bare UPDATE alone took 34-73 s (bench/sweep), and it
-- locked every flagged dossier against the desks' own acts until the sweep committed.
CREATE UNIQUE INDEX "dossier_events_sla_flag_uq" ON "dossier_events" USING btree ("dossier_id","type") WHERE "dossier_events"."type" in ('due_soon', 'overdue', 'overdue_without_apology', 'late_after_apology');--> statement-breakpoint
ALTER TABLE "dossiers" DROP COLUMN "due_soon_at";--> statement-breakpoint
ALTER TABLE "dossiers" DROP COLUMN "overdue_at";--> statement-breakpoint
ALTER TABLE "dossiers" DROP COLUMN "overdue_without_apology_at";--> statement-breakpoint
ALTER TABLE "dossiers" DROP COLUMN "late_after_apology_at";--> statement-breakpoint
-- 0009 left pages 30 % empty so that the flag UPDATE could stay on the page; nothing updates every row at once
-- now, and the acts that update a dossier change indexed columns anyway (no HOT either way). New pages only.
ALTER TABLE "dossiers" SET (fillfactor = 90);
