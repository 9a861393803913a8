-- Two versions of one code never in force on the same day: the version of a code on a day is unique, so an intake,
-- the catalogue and the index all find the same one (DOMAIN.md §3, Versions). The loader closes a version before it
-- opens the next; this refuses any write that would not. btree_gist gives GiST the equality on text (a trusted
-- extension: the database's owner may create it).
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "procedures" ADD CONSTRAINT "procedures_versions_no_overlap" EXCLUDE USING gist ("code" WITH =, daterange("valid_from", "valid_to", '[)') WITH &&);
