-- Procedure versions: every row written before versions existed is of the one version each code then had.
UPDATE "procedure_steps" s SET "procedure_id" = p."id" FROM "procedures" p WHERE p."code" = s."procedure_code";--> statement-breakpoint
UPDATE "dossiers" d SET "procedure_id" = p."id" FROM "procedures" p WHERE p."code" = d."procedure_code";--> statement-breakpoint
UPDATE "intake_decisions" i SET "procedure_id" = p."id" FROM "procedures" p WHERE p."code" = i."procedure_code";--> statement-breakpoint
UPDATE "quality_counters" c SET "procedure_id" = p."id" FROM "procedures" p WHERE p."code" = c."procedure_code";--> statement-breakpoint
UPDATE "quality_online_use" c SET "procedure_id" = p."id" FROM "procedures" p WHERE p."code" = c."procedure_code";--> statement-breakpoint
-- The version of a code in force on the local day (Asia/Ho_Chi_Minh) of an instant, or null.
CREATE OR REPLACE FUNCTION procedure_version_at(p_code text, p_at timestamptz) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT id FROM procedures WHERE code = p_code AND valid_from <= (p_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
    AND (valid_to IS NULL OR valid_to > (p_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
$$;--> statement-breakpoint
-- A dossier or intake decision written without its version (bulk loads, older writers) takes the version in force at
-- its receipt; one naming a version of another code, or a code with no version in force then, is refused.
CREATE OR REPLACE FUNCTION procedure_version_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE at timestamptz;
BEGIN
  IF TG_TABLE_NAME = 'dossiers' THEN at := NEW.received_at; ELSE at := NEW.decided_at; END IF;
  IF NEW.procedure_id IS NULL THEN
    NEW.procedure_id := procedure_version_at(NEW.procedure_code, at);
    IF NEW.procedure_id IS NULL THEN
      RAISE EXCEPTION 'procedure % has no version in force on %', NEW.procedure_code, (at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        USING ERRCODE = '23503';
    END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM procedures WHERE id = NEW.procedure_id AND code = NEW.procedure_code) THEN
    RAISE EXCEPTION 'procedure version % is not a version of %', NEW.procedure_id, NEW.procedure_code USING ERRCODE = '23503';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER dossiers_procedure_version BEFORE INSERT ON dossiers FOR EACH ROW EXECUTE FUNCTION procedure_version_of_row();--> statement-breakpoint
CREATE TRIGGER intake_decisions_procedure_version BEFORE INSERT ON intake_decisions FOR EACH ROW EXECUTE FUNCTION procedure_version_of_row();
