-- id: partial-source
-- title: A log file was read only in part
-- category: audit-gap
-- severity: medium
-- description: A source was truncated or corrupt (a gzip stream cut short, corrupt data, garbage after the last
--   member), or an ingest of it stopped (killed, the machine lost) and was not resumed: lines after the damage
--   or the stop are missing. An ingest still running is not reported.
-- rationale: A truncated log is a gap in the record: the end of a session, often the most interesting part, is
--   missing.
-- remediation: Find the complete file (the rotation target, the shipper's buffer) and ingest it again;
--   harness-audit continues after the lines it already has.
-- references: https://csrc.nist.gov/pubs/sp/800/92/final
-- false_positives: Files copied while still being written; ingest them again when complete.
-- frameworks: soc2=CC7.2,CC4.1; iso27001=A.8.15,A.8.16,A.5.28; nist80053=AU-5,AU-6,AU-9,AU-12
-- version: 3

-- The sources read only in part, in the window. A file with no dated line is placed in time by its
-- modification time, else by when it was ingested, as undated actions are: it belongs to the windows and
-- reports of that time, not to every one.
WITH placed AS MATERIALIZED (
    SELECT s.*, coalesce(s.last_ts, s.mtime, s.started_at) AS placed_ts
    FROM sources s
    WHERE (s.state = 'partial' OR (s.state = 'ingesting' AND NOT ha_ingest_running(s.owner, s.heartbeat)))
      AND (:since IS NULL OR coalesce(s.last_ts, s.mtime, s.started_at) >= :since)
      AND (:until IS NULL OR coalesce(s.first_ts, s.mtime, s.started_at) < :until)
)
SELECT NULL AS evidence, s.id || ':' || max(s.lines, 1) AS evidence_refs, NULL AS session_id,
       'partial:' || coalesce(s.fingerprint, s.path) AS subject, s.placed_ts AS ts, s.path AS target,
       s.path || CASE WHEN s.state = 'partial' THEN ' was read only in part: ' || coalesce(s.problem, 'stream problem')
                      ELSE ' was not read to the end: its ingest stopped after line ' || s.lines || ' and was not resumed' END AS reason
FROM placed s
-- A copy of the same content is one finding, the first's.
WHERE s.fingerprint IS NULL OR s.id = (SELECT min(o.id) FROM placed o WHERE o.fingerprint = s.fingerprint)
