-- id: hash-chain-broken
-- title: A session's hash chain is broken
-- category: audit-gap
-- severity: medium
-- description: A harness-v1 event's prev_hash does not equal the SHA-256 of the previous line of its session, or
--   the previous line it vouches for is not in the store. Consecutive broken lines of a session (a reordered pair
--   breaks up to three links) are one finding that cites them all. A line the store already had counts where its
--   chain breaks in its own file: a byte-identical line replayed later, a copy of the log with lines removed or
--   reordered, whichever file was ingested first. A line after a replayed one is checked against the line it
--   follows in the session, so one replay is one finding.
-- rationale: The hash chain is the log's own tamper evidence: a mismatch means a line was altered, removed or
--   reordered after it was written.
-- remediation: Compare the affected lines with the harness's original output, and investigate who could write to
--   the log between the harness and ingest.
-- references: https://csrc.nist.gov/pubs/sp/800/92/final
-- false_positives: Logs re-encoded after writing (line endings changed, JSON reformatted); hash the bytes as they are
--   finally stored.
-- frameworks: soc2=CC7.2,CC4.1; iso27001=A.8.15,A.8.16,A.5.28; nist80053=AU-5,AU-6,AU-9,AU-12
-- version: 6

-- Ingest checks each line against the line of the session it read just before, which flags the first line of
-- a rotated file read before the file that precedes it. Such a line is checked again here against its
-- predecessor in the store (by seq, else by time): if its prev_hash matches that line, it is not broken.
-- Window functions over the sessions with a flagged line, not a search per line: a harness that hashes otherwise
-- flags every line of its sessions.
WITH flagged AS MATERIALIZED (
    SELECT DISTINCT e.session_id FROM events e
    WHERE ha_format(e.format) = 'harness-v1' AND (ha_flag(e.flags, 'chain_mismatch') OR ha_flag(e.flags, 'chain_unverified'))
      -- Only sessions with events in the window can have a broken link in it.
      AND e.session_id IN (SELECT session_id FROM temp.window_sessions)
),
session_lines AS MATERIALIZED (
    SELECT e.*,
           -- Where the line stands among its session's lines (files in the order read, lines in file order), and in its file.
           row_number() OVER (PARTITION BY e.session_id ORDER BY e.source_id, e.line) AS position,
           row_number() OVER (PARTITION BY e.session_id, e.source_id ORDER BY e.line) AS in_file,
           -- The session's line before it in its file, among the lines that made events.
           lag(e.line, 1, 0) OVER (PARTITION BY e.session_id, e.source_id ORDER BY e.line) AS file_previous_line,
           -- The line before it in time (for lines without seq).
           lag(e.id) OVER (PARTITION BY e.session_id ORDER BY e.ts, e.id) AS time_previous,
           -- The line a seq stands for: the latest of the lines claiming it.
           row_number() OVER (PARTITION BY e.session_id, e.seq ORDER BY e.ts DESC, e.id DESC) AS seq_rank
    FROM events e JOIN flagged f ON f.session_id = e.session_id
    WHERE ha_format(e.format) = 'harness-v1'
),
-- The line it follows: that of the nearest lower seq (with a gap in the numbers, the last line before it: the chain then
-- says whether lines were cut out, and seq-gap reports the gap), else the line before it in time. One window pass, no join.
chained AS (
    SELECT * FROM (
        SELECT l.*,
               CASE WHEN l.seq IS NOT NULL
                    THEN max(CASE WHEN l.seq_rank = 1 THEN l.id END)
                             OVER (PARTITION BY l.session_id, l.seq IS NULL ORDER BY l.seq GROUPS BETWEEN 1 PRECEDING AND 1 PRECEDING)
                    ELSE l.time_previous END AS previous_id
        FROM session_lines l)
    WHERE ha_flag(flags, 'chain_mismatch') OR ha_flag(flags, 'chain_unverified')
),
checked AS (
    SELECT c.*,
           -- Ingest's mismatch stands unless the line is its session's first in its file (where a rotation puts it),
           -- or the line read before it is a replay of a stored line (reported below, from `chain_breaks`): within a
           -- file the line read before it is its predecessor, whatever another line claims (a forged line with the
           -- same seq forks the chain).
           CASE WHEN ha_flag(c.flags, 'chain_mismatch') AND (c.prev_hash IS NULL OR c.previous_id IS NULL
                     OR c.in_file > 1 AND NOT EXISTS (SELECT 1 FROM chain_breaks b
                                                     WHERE b.source_id = c.source_id AND b.session_id = c.session_id
                                                       AND b.line > c.file_previous_line AND b.line < c.line))
                THEN 'mismatch'
                WHEN c.previous_id IS NULL THEN 'missing'
                WHEN (SELECT ha_raw_sha256(p.source_id, p.line) FROM events p WHERE p.id = c.previous_id) IS NOT lower(hex(c.prev_hash))
                     THEN 'mismatch'
                ELSE 'ok' END AS verdict
    FROM chained c
),
broken AS (
    SELECT c.* FROM checked c WHERE c.verdict <> 'ok'
),
-- Runs of consecutive broken lines: one tampering (a reordered pair, a line cut out) breaks the links around it.
runs AS (
    SELECT b.*, b.position - row_number() OVER (PARTITION BY b.session_id ORDER BY b.position) AS island
    FROM broken b
),
numbered AS (
    SELECT r.*, row_number() OVER (PARTITION BY r.session_id, r.island ORDER BY r.position) AS n FROM runs r
),
-- Each run's size and evidence (its first 50 broken lines, with the lines they follow), by window: no join.
islands AS (
    SELECT m.*, count(*) OVER run AS lines,
           group_concat(CASE WHEN m.n <= 50 THEN coalesce(m.previous_id || ',', '') || m.id END, ',') OVER run AS run_evidence
    FROM numbered m
    WINDOW run AS (PARTITION BY m.session_id, m.island ORDER BY m.position ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),
-- Lines the store had already (from another file, or from earlier in the same one) whose chain breaks where this file
-- has them (`chain_breaks`, kept by ingest): runs of consecutive lines of a file are one finding, citing the line
-- before the run and the run's first 50 lines. One that a stored line's break above already reports is left out.
copy_breaks AS (
    SELECT b.*, b.line - row_number() OVER (PARTITION BY b.source_id, b.session_id ORDER BY b.line) AS island
    FROM chain_breaks b
    WHERE b.session_id IN (SELECT session_id FROM temp.window_sessions)
),
copy_numbered AS (
    SELECT b.*, row_number() OVER (PARTITION BY b.source_id, b.session_id, b.island ORDER BY b.line) AS n FROM copy_breaks b
),
copy_runs AS (
    SELECT source_id, session_id, min(line) AS first_line, count(*) AS lines, min(ts) AS ts,
           max(CASE WHEN n = 1 THEN ckey END) AS ckey,
           group_concat(CASE WHEN n <= 50 THEN source_id || ':' || line END, ',') AS refs
    FROM copy_numbered
    GROUP BY source_id, session_id, island
)
SELECT c.run_evidence AS evidence, NULL AS evidence_refs, c.session_id, printf('chain:%016x', c.ckey) AS subject, c.ts,
       c.id AS anchor_id, f.agent, f.actor, f.principal, f.host, f.repo,
       CASE WHEN c.lines > 1 THEN 'prev_hash does not match the previous line of the session at ' || c.lines
                                  || ' consecutive lines: lines were altered, removed or reordered'
            WHEN c.verdict = 'missing' THEN 'prev_hash vouches for a previous line that is not in the store (seq '
                                          || coalesce(c.seq - 1, '?') || ')'
            ELSE 'prev_hash does not match the previous line of the session: a line was altered, removed or reordered' END AS reason
FROM islands c
JOIN temp.session_facts f ON f.session_id = c.session_id
WHERE c.n = 1
  AND (:since IS NULL OR c.ts >= :since) AND (:until IS NULL OR c.ts < :until)
UNION ALL
SELECT NULL AS evidence,
       CASE WHEN r.first_line > 1 THEN r.source_id || ':' || (r.first_line - 1) || ',' ELSE '' END || r.refs AS evidence_refs,
       r.session_id, printf('chain:%016x', r.ckey) AS subject, r.ts,
       (SELECT e.id FROM events e WHERE e.session_id = r.session_id AND e.ckey = r.ckey) AS anchor_id,
       f.agent, f.actor, f.principal, f.host, f.repo,
       CASE WHEN r.lines > 1 THEN 'prev_hash does not match the line before it at ' || r.lines
                                  || ' consecutive lines of a file whose events the store already had: a copy of the log '
                                  || 'with lines removed or reordered, or lines replayed'
            ELSE 'prev_hash does not match the line before it in its file, a line the store already had: a line replayed, '
                 || 'or a copy of the log with lines removed or reordered' END AS reason
FROM copy_runs r
JOIN temp.session_facts f ON f.session_id = r.session_id
WHERE r.ckey NOT IN (SELECT ckey FROM broken)
  AND (:since IS NULL OR r.ts >= :since) AND (:until IS NULL OR r.ts < :until)
