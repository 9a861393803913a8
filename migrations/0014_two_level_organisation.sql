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
CREATE TABLE "transition_plan_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "transition_plan_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"plan_id" integer NOT NULL,
	"dossier_id" bigint NOT NULL,
	"dossier_code" text NOT NULL,
	"from_desk_code" text NOT NULL,
	"from_unit_code" text NOT NULL,
	"from_authority_agency_code" text NOT NULL,
	"from_holder_agency_code" text NOT NULL,
	"to_desk_code" text,
	"to_unit_code" text,
	"to_authority_agency_code" text,
	"to_holder_agency_code" text,
	"basis" text NOT NULL,
	"state" text NOT NULL,
	"amended_by" text,
	"transferred_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "transition_plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"effective_from" date NOT NULL,
	"basis" text NOT NULL,
	"district_rules" jsonb NOT NULL,
	"appointment_extension_days" integer NOT NULL,
	"status" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"applied_at" timestamp with time zone,
	"roles" jsonb NOT NULL,
	CONSTRAINT "transition_plans_effective_from_unique" UNIQUE("effective_from")
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "serves" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_roles" ADD COLUMN "ends_on" date;--> statement-breakpoint
ALTER TABLE "transition_plan_items" ADD CONSTRAINT "transition_plan_items_plan_id_transition_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."transition_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "unit_predecessors_uq" ON "unit_predecessors" USING btree ("unit_code","unit_valid_from","predecessor_province_code","predecessor_code");--> statement-breakpoint
CREATE INDEX "unit_predecessors_old_idx" ON "unit_predecessors" USING btree ("predecessor_code","predecessor_valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "transition_plan_items_uq" ON "transition_plan_items" USING btree ("plan_id","dossier_id");--> statement-breakpoint
CREATE INDEX "transition_plan_items_pending_idx" ON "transition_plan_items" USING btree ("plan_id","id") WHERE "transition_plan_items"."state" = 'placed';--> statement-breakpoint
CREATE INDEX "dossier_events_transferred_idx" ON "dossier_events" USING btree ("dossier_id","id") WHERE "dossier_events"."type" = 'transferred';