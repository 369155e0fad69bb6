-- id: seq-gap
-- title: Events are missing from a session (sequence gap)
-- category: audit-gap
-- severity: medium
-- description: A harness-v1 session's seq numbers jump: the events in between are missing from the store.
-- rationale: An audit that misses events cannot vouch for what happened in them; gaps are also how tampering
--   shows.
-- remediation: Find where the events were lost (a harness crash, a dropped log shipment, a file not ingested) and
--   ingest them; make the harness write events durably.
-- references: https://csrc.nist.gov/pubs/sp/800/92/final
-- false_positives: Harnesses that number events across sessions; they should number per session (DESIGN §2.1).
-- frameworks: soc2=CC7.2,CC4.1; iso27001=A.8.15,A.8.16,A.5.28; nist80053=AU-5,AU-6,AU-9,AU-12
-- version: 1

WITH gapped AS (
    -- Sessions whose numbers do not fill their range have a gap; only they are ordered.
    SELECT e.session_id FROM events e
    WHERE ha_format(e.format) = 'harness-v1' AND e.seq IS NOT NULL
      -- Only sessions with events in the window can have a gap in it.
      AND e.session_id IN (SELECT session_id FROM temp.window_sessions)
    GROUP BY e.session_id
    HAVING count(DISTINCT e.seq) < max(e.seq) - min(e.seq) + 1
),
seqs AS (
    SELECT e.id, e.session_id, e.seq, e.ts,
           lag(e.seq) OVER (PARTITION BY e.session_id ORDER BY e.seq, e.id) AS previous_seq,
           lag(e.id) OVER (PARTITION BY e.session_id ORDER BY e.seq, e.id) AS previous_id
    FROM events e
    WHERE ha_format(e.format) = 'harness-v1' AND e.seq IS NOT NULL AND e.session_id IN (SELECT session_id FROM gapped)
)
SELECT s.previous_id || ',' || s.id AS evidence, s.session_id, 'seq:' || s.previous_seq || '-' || s.seq AS subject,
       s.ts, s.id AS anchor_id, f.agent, f.actor, f.principal, f.host, f.repo,
       (s.seq - s.previous_seq - 1) || CASE WHEN s.seq - s.previous_seq - 1 = 1 THEN ' event is' ELSE ' events are' END
         || ' missing: seq jumps from ' || s.previous_seq || ' to ' || s.seq AS reason
FROM seqs s JOIN temp.session_facts f ON f.session_id = s.session_id
WHERE s.previous_seq IS NOT NULL AND s.seq > s.previous_seq + 1
  AND (:since IS NULL OR s.ts >= :since) AND (:until IS NULL OR s.ts < :until)
