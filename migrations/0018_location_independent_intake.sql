CREATE TABLE "location_independent_list_procedures" (
	"list_id" integer NOT NULL,
	"procedure_code" text NOT NULL,
	CONSTRAINT "location_independent_list_procedures_list_id_procedure_code_pk" PRIMARY KEY("list_id","procedure_code")
);
--> statement-breakpoint
CREATE TABLE "location_independent_lists" (
	"id" serial PRIMARY KEY NOT NULL,
	"valid_from" date NOT NULL,
	"basis" text NOT NULL,
	"all_city_level" boolean NOT NULL,
	"reason" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "location_independent_lists_valid_from_unique" UNIQUE("valid_from")
);
--> statement-breakpoint
CREATE TABLE "paper_transfers" (
	"id" serial PRIMARY KEY NOT NULL,
	"dossier_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"from_code" text NOT NULL,
	"to_code" text NOT NULL,
	"method" text NOT NULL,
	"reference" text,
	"sent_at" timestamp with time zone NOT NULL,
	"sent_by" text NOT NULL,
	"received_at" timestamp with time zone,
	"received_by" text,
	"note" text,
	CONSTRAINT "paper_transfers_received_ck" CHECK (("paper_transfers"."received_at" is null) = ("paper_transfers"."received_by" is null))
);
--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "authority_unit_code" text;--> statement-breakpoint
ALTER TABLE "location_independent_list_procedures" ADD CONSTRAINT "location_independent_list_procedures_list_id_location_independent_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."location_independent_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_transfers" ADD CONSTRAINT "paper_transfers_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "paper_transfers_dossier_idx" ON "paper_transfers" USING btree ("dossier_id","id");