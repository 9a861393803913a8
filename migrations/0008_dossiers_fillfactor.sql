-- Room on each page for the new version of a row: the SLA sweep and the acts update dossiers in place, and with
-- free space on the page (and no indexed column changed, as for the SLA flags) PostgreSQL writes a HOT update
-- that touches no index. Applies to pages written from now on; VACUUM FULL rewrites existing ones.
ALTER TABLE "dossiers" SET (fillfactor = 85);
