CREATE TABLE "agencies" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"unit_code" text NOT NULL,
	"parent_code" text,
	"template_code" text,
	"valid_from" date NOT NULL,
	"valid_to" date
);
--> statement-breakpoint
CREATE TABLE "desks" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"unit_code" text NOT NULL,
	"level" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" text,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"source" text NOT NULL,
	CONSTRAINT "units_period_ck" CHECK ("units"."valid_to" is null or "units"."valid_to" > "units"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "calendar_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"date" date,
	"scope" text DEFAULT 'day' NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"changed_by" text NOT NULL,
	"reason" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"date" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"source" text,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "working_hours" (
	"scope" text PRIMARY KEY NOT NULL,
	"periods" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delegation_decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"delegator" text NOT NULL,
	"delegate_agency_code" text NOT NULL,
	"signed_on" date NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date
);
--> statement-breakpoint
CREATE TABLE "delegation_procedures" (
	"decision_id" integer NOT NULL,
	"procedure_code" text NOT NULL,
	CONSTRAINT "delegation_procedures_decision_id_procedure_code_pk" PRIMARY KEY("decision_id","procedure_code")
);
--> statement-breakpoint
CREATE TABLE "fields" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "postal_coverage" (
	"id" serial PRIMARY KEY NOT NULL,
	"desk_unit_code" text NOT NULL,
	"field_code" text,
	"status" text NOT NULL,
	"covered" boolean NOT NULL,
	"valid_from" date NOT NULL,
	"note" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "procedure_steps" (
	"procedure_code" text NOT NULL,
	"step_order" integer NOT NULL,
	"name" text NOT NULL,
	"performer" jsonb NOT NULL,
	"minutes" integer NOT NULL,
	CONSTRAINT "procedure_steps_procedure_code_step_order_pk" PRIMARY KEY("procedure_code","step_order")
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_search" text NOT NULL,
	"field_code" text NOT NULL,
	"level" text NOT NULL,
	"agency_code" text NOT NULL,
	"authority" text NOT NULL,
	"time_amount" integer NOT NULL,
	"time_unit" text NOT NULL,
	"statutory_amount" integer NOT NULL,
	"statutory_unit" text NOT NULL,
	"time_cut_percent" integer DEFAULT 0 NOT NULL,
	"same_day" boolean DEFAULT false NOT NULL,
	"cutoff_hour" text,
	"supplement_policy" text DEFAULT 'pause' NOT NULL,
	"calendar_change_policy" text DEFAULT 'reproject' NOT NULL,
	"fees" jsonb NOT NULL,
	"documents" jsonb NOT NULL,
	"online_level" text NOT NULL,
	"online_level4_in_2021" boolean DEFAULT false NOT NULL,
	"published_on_national_portal" boolean DEFAULT false NOT NULL,
	"paper_result" boolean NOT NULL,
	"location_independent" boolean DEFAULT false NOT NULL,
	"postal_eligible" boolean DEFAULT true NOT NULL,
	CONSTRAINT "procedures_time_ck" CHECK ("procedures"."time_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "reference_data_loads" (
	"dataset" text PRIMARY KEY NOT NULL,
	"content_hash" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"summary" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_accounts" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"full_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "staff_accounts_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "staff_roles" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"role" text NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_code" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"dossier_code" text,
	"request_id" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "control_slip_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_id" bigint NOT NULL,
	"step_order" integer NOT NULL,
	"step_name" text NOT NULL,
	"giver_agency_code" text NOT NULL,
	"giver_username" text NOT NULL,
	"receiver_agency_code" text NOT NULL,
	"receiver_role" text,
	"receiver_username" text,
	"at" timestamp with time zone NOT NULL,
	"step_started_at" timestamp with time zone NOT NULL,
	"step_due_at" timestamp with time zone NOT NULL,
	"step_minutes_used" integer NOT NULL,
	"step_minutes_allotted" integer NOT NULL,
	"timeliness" text NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "dossier_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_id" bigint NOT NULL,
	"type" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossier_pauses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_id" bigint NOT NULL,
	"paused_at" timestamp with time zone NOT NULL,
	"resumed_at" timestamp with time zone,
	"reason" text NOT NULL,
	"items" jsonb NOT NULL,
	"requested_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossier_sequences" (
	"desk_code" text NOT NULL,
	"day" date NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "dossier_sequences_desk_code_day_pk" PRIMARY KEY("desk_code","day")
);
--> statement-breakpoint
CREATE TABLE "dossiers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"field_code" text NOT NULL,
	"desk_code" text NOT NULL,
	"unit_code" text NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"applicant" jsonb NOT NULL,
	"citizen_id_hash" text,
	"phone_last4" text,
	"documents" jsonb NOT NULL,
	"result_delivery" jsonb NOT NULL,
	"authority" text NOT NULL,
	"authority_agency_code" text NOT NULL,
	"delegation_number" text,
	"current_step" integer NOT NULL,
	"holder_agency_code" text NOT NULL,
	"holder_role" text,
	"holder_username" text,
	"step_started_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"effective_start" timestamp with time zone NOT NULL,
	"time_amount" integer NOT NULL,
	"time_unit" text NOT NULL,
	"cutoff_hour" text,
	"supplement_policy" text NOT NULL,
	"budget_minutes" integer NOT NULL,
	"due_at" timestamp with time zone,
	"original_due_at" timestamp with time zone NOT NULL,
	"provisional" boolean NOT NULL,
	"supplement_requests" integer DEFAULT 0 NOT NULL,
	"ended_at" timestamp with time zone,
	"timeliness" text,
	"result_reference" text,
	"returned_at" timestamp with time zone,
	"rating_token_hash" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dossiers_code_unique" UNIQUE("code"),
	CONSTRAINT "dossiers_budget_ck" CHECK ("dossiers"."budget_minutes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"reference" text NOT NULL,
	"outcome" text NOT NULL,
	"procedure_code" text NOT NULL,
	"desk_code" text NOT NULL,
	"channel" text NOT NULL,
	"applicant" jsonb NOT NULL,
	"form" jsonb NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"decided_by" text NOT NULL,
	CONSTRAINT "intake_decisions_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"dossier_id" bigint PRIMARY KEY NOT NULL,
	"score" text NOT NULL,
	"comment" text,
	"rated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "delegation_procedures" ADD CONSTRAINT "delegation_procedures_decision_id_delegation_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."delegation_decisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_procedures" ADD CONSTRAINT "delegation_procedures_procedure_code_procedures_code_fk" FOREIGN KEY ("procedure_code") REFERENCES "public"."procedures"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_steps" ADD CONSTRAINT "procedure_steps_procedure_code_procedures_code_fk" FOREIGN KEY ("procedure_code") REFERENCES "public"."procedures"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedures" ADD CONSTRAINT "procedures_field_code_fields_code_fk" FOREIGN KEY ("field_code") REFERENCES "public"."fields"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_roles" ADD CONSTRAINT "staff_roles_account_id_staff_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."staff_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "control_slip_lines" ADD CONSTRAINT "control_slip_lines_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_events" ADD CONSTRAINT "dossier_events_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_pauses" ADD CONSTRAINT "dossier_pauses_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agencies_code_valid_from_uq" ON "agencies" USING btree ("code","valid_from");--> statement-breakpoint
CREATE INDEX "agencies_unit_idx" ON "agencies" USING btree ("unit_code");--> statement-breakpoint
CREATE INDEX "agencies_template_idx" ON "agencies" USING btree ("template_code","unit_code");--> statement-breakpoint
CREATE UNIQUE INDEX "desks_code_valid_from_uq" ON "desks" USING btree ("code","valid_from");--> statement-breakpoint
CREATE INDEX "desks_unit_idx" ON "desks" USING btree ("unit_code");--> statement-breakpoint
CREATE UNIQUE INDEX "units_code_valid_from_uq" ON "units" USING btree ("code","valid_from");--> statement-breakpoint
CREATE INDEX "units_parent_idx" ON "units" USING btree ("parent_code");--> statement-breakpoint
CREATE UNIQUE INDEX "delegation_decisions_uq" ON "delegation_decisions" USING btree ("number","delegate_agency_code");--> statement-breakpoint
CREATE INDEX "delegation_procedure_idx" ON "delegation_procedures" USING btree ("procedure_code");--> statement-breakpoint
CREATE INDEX "postal_coverage_desk_idx" ON "postal_coverage" USING btree ("desk_unit_code");--> statement-breakpoint
CREATE INDEX "procedures_level_idx" ON "procedures" USING btree ("level");--> statement-breakpoint
CREATE INDEX "procedures_field_idx" ON "procedures" USING btree ("field_code");--> statement-breakpoint
CREATE INDEX "procedures_agency_idx" ON "procedures" USING btree ("agency_code");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_roles_uq" ON "staff_roles" USING btree ("account_id","role","scope_kind","scope_code");--> statement-breakpoint
CREATE INDEX "staff_roles_account_idx" ON "staff_roles" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "outbox" USING btree ("id") WHERE "outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "audit_log_dossier_idx" ON "audit_log" USING btree ("dossier_code","at");--> statement-breakpoint
CREATE INDEX "control_slip_dossier_idx" ON "control_slip_lines" USING btree ("dossier_id","id");--> statement-breakpoint
CREATE INDEX "dossier_events_dossier_idx" ON "dossier_events" USING btree ("dossier_id","id");--> statement-breakpoint
CREATE INDEX "dossier_events_type_at_idx" ON "dossier_events" USING btree ("type","at");--> statement-breakpoint
CREATE INDEX "dossier_pauses_dossier_idx" ON "dossier_pauses" USING btree ("dossier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dossier_pauses_open_uq" ON "dossier_pauses" USING btree ("dossier_id") WHERE "dossier_pauses"."resumed_at" is null;--> statement-breakpoint
CREATE INDEX "dossiers_desk_received_idx" ON "dossiers" USING btree ("desk_code","received_at","id");--> statement-breakpoint
CREATE INDEX "dossiers_holder_idx" ON "dossiers" USING btree ("holder_agency_code","status");--> statement-breakpoint
CREATE INDEX "dossiers_authority_idx" ON "dossiers" USING btree ("authority_agency_code","received_at","id");--> statement-breakpoint
CREATE INDEX "dossiers_open_due_idx" ON "dossiers" USING btree ("due_at") WHERE "dossiers"."status" in ('received','in_processing','supplement_requested');--> statement-breakpoint
CREATE INDEX "dossiers_citizen_idx" ON "dossiers" USING btree ("citizen_id_hash");--> statement-breakpoint
CREATE INDEX "intake_decisions_desk_idx" ON "intake_decisions" USING btree ("desk_code","decided_at");