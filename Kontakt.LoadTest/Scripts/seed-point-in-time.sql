-- Seeds a benchmark database (schema already migrated by Kontakt) with :patients patients, each with
-- :versions public versions (versions - 1 closed into history), stamped like real commits: strictly
-- increasing, version v of patient k at base + v hours + k microseconds. Version v's color is the
-- hex color #00000v (canonical, as the service would store it).
\set ON_ERROR_STOP on
\timing on
BEGIN;
CREATE TEMP TABLE seed_clock AS SELECT timestamptz '2026-11-22 04:00:00+00' AS base;
INSERT INTO phi.patients (patient_id, name_key, dob, created_at)
SELECT gen_random_uuid(), 'bench person ' || g, date '1930-01-01' + (g % 30000), (SELECT base FROM seed_clock)
FROM generate_series(1, :patients) g;
INSERT INTO public_store.patient_history (patient_id, favorite_color, valid_from, valid_to)
SELECT p.patient_id, '#' || lpad(to_hex(v), 6, '0'),
       c.base + v * interval '1 hour' + p.patient_key * interval '1 microsecond',
       c.base + (v + 1) * interval '1 hour' + p.patient_key * interval '1 microsecond'
FROM phi.patients p CROSS JOIN generate_series(0, :versions - 2) v CROSS JOIN seed_clock c;
INSERT INTO public_store.patients (patient_id, favorite_color, valid_from)
SELECT p.patient_id, '#' || lpad(to_hex(:versions - 1), 6, '0'), c.base + (:versions - 1) * interval '1 hour' + p.patient_key * interval '1 microsecond'
FROM phi.patients p CROSS JOIN seed_clock c;
INSERT INTO public_store.commit_log (committed_at) SELECT max(valid_from) FROM public_store.patients;
COMMIT;
VACUUM ANALYZE phi.patients;
VACUUM ANALYZE public_store.patients;
VACUUM ANALYZE public_store.patient_history;
SELECT (SELECT count(*) FROM public_store.patients) AS patients, (SELECT count(*) FROM public_store.patient_history) AS history_versions;
