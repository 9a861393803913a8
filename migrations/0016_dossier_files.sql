CREATE TABLE "document_digitisations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_id" bigint NOT NULL,
	"document_name" text NOT NULL,
	"file_id" bigint,
	"exemption" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "document_digitisations_one_ck" CHECK (("document_digitisations"."file_id" is null) <> ("document_digitisations"."exemption" is null))
);
--> statement-breakpoint
CREATE TABLE "dossier_files" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"document_name" text,
	"copy_kind" text NOT NULL,
	"source" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"media_type" text NOT NULL,
	"page_count" integer,
	"file_name" text,
	"reused_from" bigint,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "dossier_files_size_ck" CHECK ("dossier_files"."size" > 0)
);
--> statement-breakpoint
ALTER TABLE "document_digitisations" ADD CONSTRAINT "document_digitisations_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_digitisations" ADD CONSTRAINT "document_digitisations_file_id_dossier_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."dossier_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_files" ADD CONSTRAINT "dossier_files_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "document_digitisations_uq" ON "document_digitisations" USING btree ("dossier_id","document_name");--> statement-breakpoint
CREATE INDEX "dossier_files_dossier_idx" ON "dossier_files" USING btree ("dossier_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "dossier_files_content_uq" ON "dossier_files" USING btree ("dossier_id","sha256");--> statement-breakpoint
CREATE INDEX "dossier_files_sha256_idx" ON "dossier_files" USING btree ("sha256");