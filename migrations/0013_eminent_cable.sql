CREATE TABLE "organisation_versions" (
	"effective_from" date PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"basis" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	"summary" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_predecessors" (
	"id" serial PRIMARY KEY NOT NULL,
	"unit_code" text NOT NULL,
	"unit_valid_from" date NOT NULL,
	"predecessor_code" text NOT NULL,
	"predecessor_valid_from" date,
	"predecessor_name" text NOT NULL,
	"predecessor_district_code" text,
	"predecessor_district_name" text,
	"predecessor_province_code" text NOT NULL,
	"partial" text,
	"basis" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "serves" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "unit_predecessors_uq" ON "unit_predecessors" USING btree ("unit_code","unit_valid_from","predecessor_province_code","predecessor_code");--> statement-breakpoint
CREATE INDEX "unit_predecessors_old_idx" ON "unit_predecessors" USING btree ("predecessor_code","predecessor_valid_from");