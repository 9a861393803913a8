CREATE TABLE "apologies" (
	"dossier_id" bigint PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"drafted_at" timestamp with time zone NOT NULL,
	"proposed_due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"previous_due_at" timestamp with time zone,
	"new_due_at" timestamp with time zone,
	"issued_at" timestamp with time zone,
	"issued_by" text,
	"late_apology" boolean
);
--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "new_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "due_soon_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "overdue_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "overdue_without_apology_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "late_after_apology_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "apologies" ADD CONSTRAINT "apologies_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;