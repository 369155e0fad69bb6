-- id: mode-loosened-to-bypass
-- title: The permission mode was loosened to bypass mid-session
-- category: privilege-escalation
-- severity: critical
-- description: Within a session that started with approvals on, the permission mode changed to bypass (Claude
--   bypassPermissions, harness-v1 bypass, Gemini yolo, Codex never with danger-full-access). A change seen by
--   several logs of the session (hooks, transcript, OTel) is one finding; a session that started in bypass and
--   returned to it (bypass, plan, bypass) loosened nothing it had not had.
-- rationale: Switching approvals off in the middle of a session, often right before a risky step, removes the
--   control exactly when it matters.
-- remediation: Disable bypass mode where it is not needed (Claude permissions.disableBypassPermissionsMode), and
--   review why the mode was changed.
-- references: https://code.claude.com/docs/en/settings
-- false_positives: A person deliberately switching modes for a harmless step; waive with an owner and expiry.
-- frameworks: soc2=CC6.1,CC8.1; iso27001=A.8.2,A.8.32; nist80053=AC-6,CM-5
-- version: 5

-- Each log format of a session is read as a stream of its own, in its own order (hook payloads carry no time, a
-- transcript does: merged, an undated stream would sort before a dated one and show its change twice). Changes of
-- two streams are one when both are dated and at most a minute apart; with an undated stream, the k-th time a stream
-- shows the session entering bypass is the k-th time the session did. One finding, placed at the dated record when
-- one is, citing every stream's lines. A change event that says the mode it left (OTel's permission_mode_changed)
-- is a change in its own stream.
WITH modes AS (
    -- A sub-agent runs in its own mode (`agent_id`): sub-agents' events follow their own earlier ones, so a parent and a
    -- sub-agent taking turns in different modes change nothing.
    SELECT e.id, e.session_id, e.format, e.ts, e.ckey, e.source_id, e.line, ha_mode(p.mode) AS mode, p.raw_mode,
           coalesce(lag(ha_mode(p.mode)) OVER stream_order, ha_mode_of(e.attrs ->> 'from_mode')) AS previous_mode,
           coalesce(lag(NULLIF(p.raw_mode, '')) OVER stream_order, NULLIF(e.attrs ->> 'from_mode', '')) AS previous_raw,
           lag(e.id) OVER stream_order AS previous_id,
           -- When the change can have happened: at a change event's own time; for a mode read off the stream's records
           -- (a transcript notes it at the next prompt), since the record before.
           CASE WHEN ha_kind(e.kind) = 'mode_change' THEN e.ts ELSE lag(e.ts) OVER stream_order END AS since_ts,
           -- The mode the stream started in: a session that started in bypass and went to plan and back loosened
           -- nothing it had not had from the start.
           -- (A change event first in its stream says the mode it left.)
           first_value(coalesce(ha_mode_of(e.attrs ->> 'from_mode'), ha_mode(p.mode))) OVER stream_order AS first_mode
    FROM events e JOIN policies p ON p.id = e.policy_id
    WHERE p.mode IS NOT NULL AND ha_format(e.format) <> 'k8s-audit'
      -- Only sessions that were ever in bypass mode can have such a change: the others are not ordered.
      AND e.session_id IN (SELECT b.session_id FROM events b
                           WHERE b.policy_id IN (SELECT bp.id FROM policies bp WHERE ha_mode(bp.mode) = 'bypass'))
      -- … and had events in the window.
      AND e.session_id IN (SELECT session_id FROM temp.window_sessions)
    WINDOW stream_order AS (PARTITION BY e.session_id, e.format, ha_flag(e.flags, 'subagent') ORDER BY e.ts, e.id)
),
changes AS MATERIALIZED (
    SELECT m.*, coalesce(m.previous_id || ',', '') || m.id AS lines,
           row_number() OVER (PARTITION BY m.session_id, m.format ORDER BY m.ts, m.id) AS k
    FROM modes m
    WHERE m.mode = 'bypass' AND m.previous_mode IS NOT NULL AND m.previous_mode <> 'bypass' AND m.first_mode <> 'bypass'
),
-- Two streams' changes are the same change when both are dated and a minute apart at most (a stream that saw only
-- part of the session numbers its changes from where it started), else when they are the same k-th.
same AS MATERIALIZED (
    SELECT c.id AS change_id, d.id AS other_id, d.lines AS other_lines,
           -- The other is the one reported: dated before undated, then the earlier, then the first stored.
           (d.ts IS NOT NULL AND c.ts IS NULL) OR ((d.ts IS NULL) = (c.ts IS NULL) AND (coalesce(d.ts, 0), d.id) < (coalesce(c.ts, 0), c.id))
             AS other_first
    FROM changes c JOIN changes d ON d.session_id = c.session_id AND d.format <> c.format
    WHERE CASE WHEN c.ts IS NOT NULL AND d.ts IS NOT NULL
               THEN abs(c.ts - d.ts) <= 60000
                    -- Or the times each can have happened overlap (a transcript notes at 10:09 what OTel saw at 10:01).
                    OR (coalesce(c.since_ts, c.ts) - 60000 <= d.ts AND coalesce(d.since_ts, d.ts) - 60000 <= c.ts)
               ELSE c.k = d.k END
),
kept AS (
    SELECT c.*, c.lines || coalesce((SELECT ',' || group_concat(x.other_lines) FROM same x WHERE x.change_id = c.id), '') AS evidence,
           1 AS pick
    FROM changes c
    WHERE NOT EXISTS (SELECT 1 FROM same x WHERE x.change_id = c.id AND x.other_first)
)
SELECT m.evidence, m.session_id, printf('mode:%016x', m.ckey) AS subject, m.ts,
       m.id AS anchor_id, f.agent, f.actor, f.principal, f.host, f.repo,
       'The permission mode changed from ' || coalesce(NULLIF(m.previous_raw, ''), m.previous_mode) || ' to '
         || coalesce(NULLIF(m.raw_mode, ''), m.mode) || ' in the middle of the session' AS reason
FROM kept m JOIN temp.session_facts f ON f.session_id = m.session_id
WHERE m.pick = 1
  -- Placed in time as its session's actions are: by its time, else the session's first, else (a session with no
  -- time at all, as Claude Code hook payloads are) when the ingest run that read its line found the file.
  AND (:since IS NULL AND :until IS NULL
       OR (SELECT (:since IS NULL OR t.placed >= :since) AND (:until IS NULL OR t.placed < :until)
           FROM (SELECT coalesce(m.ts, f.first_ts,
                                 (SELECT k.time FROM source_marks k WHERE k.source_id = m.source_id AND k.first_line <= m.line
                                  ORDER BY k.first_line DESC LIMIT 1),
                                 (SELECT coalesce(s.mtime, s.started_at) FROM sources s WHERE s.id = m.source_id)) AS placed) t))
