ALTER TABLE "delegation_procedures" DROP CONSTRAINT "delegation_procedures_procedure_code_procedures_code_fk";
--> statement-breakpoint
ALTER TABLE "location_independent_desks" DROP CONSTRAINT "location_independent_desks_procedure_code_procedures_code_fk";
--> statement-breakpoint
ALTER TABLE "procedure_steps" DROP CONSTRAINT "procedure_steps_procedure_code_procedures_code_fk";
--> statement-breakpoint
ALTER TABLE "procedures" DROP CONSTRAINT "procedures_pkey";--> statement-breakpoint
ALTER TABLE "procedure_steps" ADD COLUMN "procedure_id" integer;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "id" serial PRIMARY KEY NOT NULL;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "valid_from" date DEFAULT '2020-01-01' NOT NULL;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "valid_to" date;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "source" text DEFAULT 'generated' NOT NULL;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "levels" jsonb;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "time_text" text;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "time_note" text;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "agency_text" text;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "legal_basis" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "online_submission" boolean;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "publishing_decision" text;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "source_url" text;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "procedure_id" integer;--> statement-breakpoint
ALTER TABLE "intake_decisions" ADD COLUMN "procedure_id" integer;--> statement-breakpoint
ALTER TABLE "quality_counters" ADD COLUMN "procedure_id" integer;--> statement-breakpoint
ALTER TABLE "quality_online_use" ADD COLUMN "procedure_id" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "procedures_code_valid_from_uq" ON "procedures" USING btree ("code","valid_from");--> statement-breakpoint
ALTER TABLE "procedures" ADD CONSTRAINT "procedures_period_ck" CHECK ("procedures"."valid_to" is null or "procedures"."valid_to" > "procedures"."valid_from");