CREATE TABLE "quality_counter_changes" (
	"month" date PRIMARY KEY NOT NULL,
	"change_seq" bigint NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_score_periods" (
	"period" text NOT NULL,
	"formula_version" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"source_seq" bigint NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "quality_score_periods_period_formula_version_pk" PRIMARY KEY("period","formula_version")
);
--> statement-breakpoint
CREATE TABLE "quality_scores" (
	"period" text NOT NULL,
	"formula_version" text NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_code" text NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"rank" integer NOT NULL,
	"total" double precision NOT NULL,
	"scored_maximum" double precision NOT NULL,
	"band" text,
	"received" bigint NOT NULL,
	"resolved" bigint NOT NULL,
	"score" jsonb NOT NULL,
	"facts" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "quality_scores_period_formula_version_scope_kind_scope_code_pk" PRIMARY KEY("period","formula_version","scope_kind","scope_code")
);
