ALTER TABLE "procedure_steps" DROP CONSTRAINT "procedure_steps_procedure_code_step_order_pk";--> statement-breakpoint
ALTER TABLE "quality_counters" DROP CONSTRAINT "quality_counters_day_desk_code_unit_code_agency_code_procedure_code_channel_pk";--> statement-breakpoint
ALTER TABLE "quality_online_use" DROP CONSTRAINT "quality_online_use_month_unit_code_agency_code_procedure_code_pk";--> statement-breakpoint
ALTER TABLE "procedure_steps" ALTER COLUMN "procedure_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "dossiers" ALTER COLUMN "procedure_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "intake_decisions" ALTER COLUMN "procedure_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "quality_counters" ALTER COLUMN "procedure_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "quality_online_use" ALTER COLUMN "procedure_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "procedure_steps" ADD CONSTRAINT "procedure_steps_procedure_id_step_order_pk" PRIMARY KEY("procedure_id","step_order");--> statement-breakpoint
ALTER TABLE "quality_counters" ADD CONSTRAINT "quality_counters_day_desk_code_unit_code_agency_code_procedure_id_channel_pk" PRIMARY KEY("day","desk_code","unit_code","agency_code","procedure_id","channel");--> statement-breakpoint
ALTER TABLE "quality_online_use" ADD CONSTRAINT "quality_online_use_month_unit_code_agency_code_procedure_id_pk" PRIMARY KEY("month","unit_code","agency_code","procedure_id");--> statement-breakpoint
ALTER TABLE "procedure_steps" ADD CONSTRAINT "procedure_steps_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_decisions" ADD CONSTRAINT "intake_decisions_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_steps" DROP COLUMN "procedure_code";