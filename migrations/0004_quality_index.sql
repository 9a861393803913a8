CREATE TABLE "quality_counters" (
	"day" date NOT NULL,
	"desk_code" text NOT NULL,
	"unit_code" text NOT NULL,
	"agency_code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"field_code" text NOT NULL,
	"channel" text NOT NULL,
	"received" integer DEFAULT 0 NOT NULL,
	"received_digitised" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"resolved_early" integer DEFAULT 0 NOT NULL,
	"resolved_on_time" integer DEFAULT 0 NOT NULL,
	"resolved_late" integer DEFAULT 0 NOT NULL,
	"resolved_in_time_multi_supplement" integer DEFAULT 0 NOT NULL,
	"resolved_electronic" integer DEFAULT 0 NOT NULL,
	"resolved_paper_result" integer DEFAULT 0 NOT NULL,
	"resolved_working_minutes" bigint DEFAULT 0 NOT NULL,
	"supplement_requests" integer DEFAULT 0 NOT NULL,
	"stopped" integer DEFAULT 0 NOT NULL,
	"withdrawn" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"rated_negative" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "quality_counters_day_desk_code_unit_code_agency_code_procedure_code_channel_pk" PRIMARY KEY("day","desk_code","unit_code","agency_code","procedure_code","channel")
);
--> statement-breakpoint
CREATE TABLE "quality_formulas" (
	"version" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"effective_from" date NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_publications" (
	"id" serial PRIMARY KEY NOT NULL,
	"period" text NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_code" text NOT NULL,
	"formula_version" text NOT NULL,
	"total" double precision NOT NULL,
	"score" jsonb NOT NULL,
	"published_by" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dossier_events" ADD COLUMN "counted_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "quality_counters_unit_day_idx" ON "quality_counters" USING btree ("unit_code","day");--> statement-breakpoint
CREATE INDEX "quality_counters_agency_day_idx" ON "quality_counters" USING btree ("agency_code","day");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_publications_uq" ON "quality_publications" USING btree ("period","scope_kind","scope_code","formula_version");--> statement-breakpoint
CREATE INDEX "quality_publications_period_idx" ON "quality_publications" USING btree ("period");--> statement-breakpoint
CREATE INDEX "dossier_events_uncounted_idx" ON "dossier_events" USING btree ("id") WHERE "dossier_events"."counted_at" is null;--> statement-breakpoint
CREATE INDEX "dossiers_ended_idx" ON "dossiers" USING btree ("ended_at");