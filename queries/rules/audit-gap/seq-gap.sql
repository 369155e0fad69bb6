-- id: seq-gap
-- title: Events are missing from a session, or a number is claimed twice (sequence gap)
-- category: audit-gap
-- severity: medium
-- description: A harness-v1 session's seq numbers jump (the events in between are missing from the store), or
--   two different events claim one number (one of them is not the harness's own: forged or replayed).
-- rationale: An audit that misses events cannot vouch for what happened in them; gaps are also how tampering
--   shows.
-- remediation: Find where the events were lost (a harness crash, a dropped log shipment, a file not ingested) and
--   ingest them; make the harness write events durably.
-- references: https://csrc.nist.gov/pubs/sp/800/92/final
-- false_positives: Harnesses that number events across sessions, or per call, instead of per session (DESIGN §2.1).
-- frameworks: soc2=CC7.2,CC4.1; iso27001=A.8.15,A.8.16,A.5.28; nist80053=AU-5,AU-6,AU-9,AU-12
-- version: 5

WITH numbered AS (
    -- Each numbered session's events: how many, how many distinct numbers, and the range they span.
    SELECT e.session_id, count(*) AS n, count(DISTINCT e.seq) AS distinct_n, min(e.seq) AS lo, max(e.seq) AS hi
    FROM events e
    WHERE ha_format(e.format) = 'harness-v1' AND e.seq IS NOT NULL
      -- Only sessions with events in the window can have a gap in it.
      AND e.session_id IN (SELECT session_id FROM temp.window_sessions)
    GROUP BY e.session_id
),
-- Sessions whose numbers do not fill their range have a gap; only they are ordered.
gapped AS (SELECT session_id FROM numbered WHERE distinct_n < hi - lo + 1),
seqs AS (
    SELECT e.id, e.session_id, e.seq, e.ts, e.source_id, e.line,
           lag(e.seq) OVER (PARTITION BY e.session_id ORDER BY e.seq, e.id) AS previous_seq,
           lag(e.id) OVER (PARTITION BY e.session_id ORDER BY e.seq, e.id) AS previous_id,
           lag(e.source_id) OVER (PARTITION BY e.session_id ORDER BY e.seq, e.id) AS previous_source,
           lag(e.line) OVER (PARTITION BY e.session_id ORDER BY e.seq, e.id) AS previous_line
    FROM events e
    WHERE ha_format(e.format) = 'harness-v1' AND e.seq IS NOT NULL AND e.session_id IN (SELECT session_id FROM gapped)
),
-- A number claimed by different events: a line that is not the harness's own, forged or replayed into the log,
-- which a hash chain misses when it copies a valid `prev_hash`. Copies of one event (another shipper's
-- re-serialized line, stored apart because its bytes differ) say the same: the same kind, call, time, decision,
-- approver, outcome, tool, policy and `event_id`, and for a call the same command and targets; a forged line differs
-- in one of them, whatever `event_id` it copies (a copy of the log whose call was altered keeps all the rest).
-- A result's command and targets are left out: a result stores what it repeats of its call only when ingest saw
-- the call shortly before, so two honest copies can differ there.
claims AS (
    SELECT e.id, e.session_id, e.seq, e.ts,
           e.kind || '|' || coalesce(e.call_id, '') || '|' || coalesce(e.ts, '') || '|' || coalesce(e.decision, '') || '|'
             || coalesce(e.decision_source, '') || '|' || coalesce(e.approver, '') || '|' || coalesce(e.outcome, '') || '|'
             || coalesce(e.tool_id, '') || '|' || coalesce(e.policy_id, '') || '|' || coalesce(e.attrs ->> 'event_id', '')
             || CASE WHEN ha_kind(e.kind) = 'tool_call' THEN '|' || coalesce(e.command, '') || '|' || coalesce(e.targets, '') ELSE '' END
             AS claim
    FROM events e
    WHERE ha_format(e.format) = 'harness-v1' AND e.seq IS NOT NULL
      AND e.session_id IN (SELECT session_id FROM numbered WHERE n > distinct_n)
),
repeats AS (
    SELECT session_id, seq, group_concat(id) AS ids, min(id) AS first_id, min(ts) AS ts, max(ts) AS last_ts,
           count(DISTINCT claim) AS claims
    FROM claims
    GROUP BY session_id, seq
    HAVING count(DISTINCT claim) > 1
)
SELECT s.previous_id || ',' || s.id AS evidence, s.session_id, 'seq:' || s.previous_seq || '-' || s.seq AS subject,
       s.ts, s.id AS anchor_id, f.agent, f.actor, f.principal, f.host, f.repo,
       (s.seq - s.previous_seq - 1) || CASE WHEN s.seq - s.previous_seq - 1 = 1 THEN ' event is' ELSE ' events are' END
         || ' missing: seq jumps from ' || s.previous_seq || ' to ' || s.seq AS reason
FROM seqs s JOIN temp.session_facts f ON f.session_id = s.session_id
WHERE s.previous_seq IS NOT NULL AND s.seq > s.previous_seq + 1
  -- Numbers held by lines of the file between the two that could not be read: those lines are `rejected-lines`'
  -- finding, not events missing from the log.
  AND NOT (s.previous_source = s.source_id AND s.line > s.previous_line
           AND (SELECT count(*) FROM rejected r WHERE r.source_id = s.source_id AND r.line > s.previous_line AND r.line < s.line)
               >= s.seq - s.previous_seq - 1)
  AND (:since IS NULL OR s.ts >= :since) AND (:until IS NULL OR s.ts < :until)
UNION ALL
SELECT r.ids AS evidence, r.session_id, 'seq-repeat:' || r.seq AS subject, r.last_ts AS ts, r.first_id AS anchor_id,
       f.agent, f.actor, f.principal, f.host, f.repo,
       r.claims || ' different events claim seq ' || r.seq || ': all but one are not the harness''s own (a forged or replayed line)'
         AS reason
FROM repeats r JOIN temp.session_facts f ON f.session_id = r.session_id
-- In every window one of the claims falls in.
-- Placed at the latest claim, the one that came to contradict the others: one window holds it, not every window a
-- claim falls in.
WHERE (:since IS NULL OR r.last_ts >= :since) AND (:until IS NULL OR r.last_ts < :until)
