-- id: rejected-lines
-- title: Log lines could not be read
-- category: audit-gap
-- severity: medium
-- description: A source had lines that could not become events (invalid JSON or UTF-8, unknown format, truncated,
--   too long, missing required fields). One finding per source; every rejected line is in the store with
--   its reason and raw bytes.
-- rationale: What could not be read cannot be audited; a rejected line may hide exactly the action that matters.
-- remediation: Look at the rejected lines (harness-audit stats, the rejected_v view), fix the producer, and ingest
--   corrected copies.
-- references: https://csrc.nist.gov/pubs/sp/800/92/final
-- false_positives: Log files shared with other programs' output: filter them before ingest.
-- frameworks: soc2=CC7.2,CC4.1; iso27001=A.8.15,A.8.16,A.5.28; nist80053=AU-5,AU-6,AU-9,AU-12
-- version: 3

-- The half-written last line of a file read only in part is partial-source's finding, not this one.
WITH lines AS (
    SELECT r.source_id, r.line, r.reason FROM rejected r JOIN sources s ON s.id = r.source_id
    WHERE NOT (s.state = 'partial' AND r.reason = 'truncated line' AND r.line >= s.lines)
),
counted AS (
    SELECT source_id, count(*) AS n FROM lines GROUP BY source_id
),
-- The sources with rejected lines in the window. A file with no dated line is placed in time by its
-- modification time, else by when it was ingested, as undated actions are: it belongs to the windows and
-- reports of that time, not to every one.
placed AS MATERIALIZED (
    SELECT s.*, c.n, coalesce(s.last_ts, s.mtime, s.started_at) AS placed_ts,
           coalesce(s.fingerprint, s.sha256, s.path) AS identity,
           -- What the file holds, whatever its compression: its counts of lines, and its rejected lines' places,
           -- reasons and bytes. Copies of one log (plain and gzip, or read again from standard input) hold the
           -- same (not the times of their events: a copy's events are the first's, stored once).
           s.lines || '|' || s.event_lines || '|' || s.blank_lines || '|'
             || (SELECT group_concat(x.line || ':' || x.reason || ':' || coalesce(x.raw_sha256, hex(x.raw)), ',')
                 FROM (SELECT r.line, r.reason, r.raw_sha256, r.raw FROM rejected r JOIN lines l ON l.source_id = r.source_id AND l.line = r.line
                       WHERE r.source_id = s.id ORDER BY r.line) x) AS content
    FROM sources s JOIN counted c ON c.source_id = s.id
    WHERE (:since IS NULL OR coalesce(s.last_ts, s.mtime, s.started_at) >= :since)
      AND (:until IS NULL OR coalesce(s.first_ts, s.mtime, s.started_at) < :until)
)
SELECT NULL AS evidence,
       (SELECT group_concat(x.source_id || ':' || x.line)
        FROM (SELECT source_id, line FROM lines WHERE source_id = s.id ORDER BY line LIMIT 50) x) AS evidence_refs,
       NULL AS session_id, 'rejected:' || s.identity AS subject, s.placed_ts AS ts, s.path AS target,
       s.n || CASE WHEN s.n = 1 THEN ' line' ELSE ' lines' END || ' of ' || s.path || ' could not be read ('
         || (SELECT group_concat(reason || ' ×' || n, ', ')
             FROM (SELECT reason, count(*) AS n FROM lines WHERE source_id = s.id GROUP BY reason ORDER BY n DESC, reason)) || ')' AS reason
FROM placed s
-- A copy of the same content (read again from standard input, plain beside gzip) is one finding, the first's: the
-- same file by its identity, or a later file that holds the same and added no event of its own (its events were the
-- first's; two files that share only a bad header line each add their own).
WHERE s.id = (SELECT min(o.id) FROM placed o WHERE o.identity = s.identity OR (o.content = s.content AND s.events_added = 0))
