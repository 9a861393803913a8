CREATE TABLE "quality_counters_monthly" (
	"month" date NOT NULL,
	"unit_code" text NOT NULL,
	"agency_code" text NOT NULL,
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
	CONSTRAINT "quality_counters_monthly_month_unit_code_agency_code_channel_pk" PRIMARY KEY("month","unit_code","agency_code","channel")
);
--> statement-breakpoint
CREATE TABLE "quality_online_use" (
	"month" date NOT NULL,
	"unit_code" text NOT NULL,
	"agency_code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"received" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "quality_online_use_month_unit_code_agency_code_procedure_code_pk" PRIMARY KEY("month","unit_code","agency_code","procedure_code")
);
