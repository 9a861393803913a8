CREATE TABLE "calendar_revision" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delegation_decision_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"decision_id" integer NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"changed_by" text NOT NULL,
	"reason" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "location_independent_desks" (
	"procedure_code" text NOT NULL,
	"desk_code" text NOT NULL,
	CONSTRAINT "location_independent_desks_procedure_code_desk_code_pk" PRIMARY KEY("procedure_code","desk_code")
);
--> statement-breakpoint
CREATE TABLE "reference_revision" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "delegation_decisions" ADD COLUMN "issuer" text DEFAULT 'Ủy ban nhân dân tỉnh Quảng Nam' NOT NULL;--> statement-breakpoint
ALTER TABLE "delegation_decisions" ADD COLUMN "delegator_unit_code" text DEFAULT '49' NOT NULL;--> statement-breakpoint
ALTER TABLE "delegation_decisions" ADD COLUMN "document_ref" text;--> statement-breakpoint
ALTER TABLE "delegation_decisions" ADD COLUMN "revoked_on" date;--> statement-breakpoint
ALTER TABLE "delegation_decisions" ADD COLUMN "created_by" text DEFAULT 'seed' NOT NULL;--> statement-breakpoint
ALTER TABLE "delegation_decision_changes" ADD CONSTRAINT "delegation_decision_changes_decision_id_delegation_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."delegation_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "location_independent_desks" ADD CONSTRAINT "location_independent_desks_procedure_code_procedures_code_fk" FOREIGN KEY ("procedure_code") REFERENCES "public"."procedures"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_decisions" ADD CONSTRAINT "delegation_decisions_period_ck" CHECK ("delegation_decisions"."effective_to" is null or "delegation_decisions"."effective_to" > "delegation_decisions"."effective_from");