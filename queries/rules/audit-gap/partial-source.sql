-- id: partial-source
-- title: A log file was read only in part
-- category: audit-gap
-- severity: medium
-- description: A source was truncated or corrupt (a gzip stream cut short, corrupt data, garbage after the last
--   member), or an ingest of it stopped and never resumed: lines after the damage are missing.
-- rationale: A truncated log is a gap in the record: the end of a session, often the most interesting part, is
--   missing.
-- remediation: Find the complete file (the rotation target, the shipper's buffer) and ingest it again;
--   harness-audit continues after the lines it already has.
-- references: https://csrc.nist.gov/pubs/sp/800/92/final
-- false_positives: Files copied while still being written; ingest them again when complete.
-- frameworks: soc2=CC7.2,CC4.1; iso27001=A.8.15,A.8.16,A.5.28; nist80053=AU-5,AU-6,AU-9,AU-12
-- version: 2

-- A file with no dated line is placed in time by its modification time, else by when it was ingested, as
-- undated actions are: it belongs to the windows and reports of that time, not to every one.
SELECT NULL AS evidence, s.id || ':' || max(s.lines, 1) AS evidence_refs, NULL AS session_id,
       'partial:' || coalesce(s.fingerprint, s.path) AS subject, coalesce(s.last_ts, s.mtime, s.started_at) AS ts, s.path AS target,
       s.path || CASE WHEN s.state = 'partial' THEN ' was read only in part: ' || coalesce(s.problem, 'stream problem')
                      ELSE ' was not read to the end: its ingest stopped after line ' || s.lines || ' and was not resumed' END AS reason
FROM sources s
WHERE (s.state = 'partial' OR (s.state = 'ingesting' AND coalesce(s.heartbeat, 0) < :now - 600000))
  -- A copy of the same content is one finding, the first's.
  AND NOT EXISTS (SELECT 1 FROM sources o
                  WHERE o.id < s.id AND o.fingerprint = s.fingerprint
                    AND (o.state = 'partial' OR (o.state = 'ingesting' AND coalesce(o.heartbeat, 0) < :now - 600000))
                    AND (:since IS NULL OR coalesce(o.last_ts, o.mtime, o.started_at) >= :since)
                    AND (:until IS NULL OR coalesce(o.first_ts, o.mtime, o.started_at) < :until))
  AND (:since IS NULL OR coalesce(s.last_ts, s.mtime, s.started_at) >= :since)
  AND (:until IS NULL OR coalesce(s.first_ts, s.mtime, s.started_at) < :until)
