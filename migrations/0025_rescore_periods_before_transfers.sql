-- A stored closed period that ended before a restructuring's transfers counted the dossiers open at its end under
-- the unit and agency they were moved to later. Marked stale (source_seq below any change), such a period is scored
-- again by the workers' sweep or its next read, with the dossiers where they were at its end.
UPDATE "quality_score_periods" p SET "source_seq" = -1
WHERE EXISTS (SELECT 1 FROM "dossier_events" t WHERE t."type" = 'transferred' AND (t."at" AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > p."period_to");
