-- Dossiers received online are filed electronically (Thông tư 03/2025 Art. 5(2): exempt from digitisation), so
-- every online `received` event already counted is a digitised dossier for indicator 4.2: the same rows a rebuild
-- of the counters from the events gives (no digitisation, result-file or re-use event existed before this column).
UPDATE "quality_counters" SET "digitised_recorded" = "received" WHERE "channel" = 'online' AND "received" > 0;--> statement-breakpoint
UPDATE "quality_counters_monthly" SET "digitised_recorded" = "received" WHERE "channel" = 'online' AND "received" > 0;
