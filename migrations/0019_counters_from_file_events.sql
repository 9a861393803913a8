ALTER TABLE "quality_counters" ADD COLUMN "digitised_recorded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quality_counters" ADD COLUMN "result_file_attached" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quality_counters" ADD COLUMN "reused_data" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quality_counters_monthly" ADD COLUMN "digitised_recorded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quality_counters_monthly" ADD COLUMN "result_file_attached" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quality_counters_monthly" ADD COLUMN "reused_data" integer DEFAULT 0 NOT NULL;