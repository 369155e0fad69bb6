-- id: approval-bypass-mode
-- title: Actions ran with approvals turned off
-- category: approval-bypass
-- severity: critical
-- description: The agent ran actions while its harness asked no one: Claude Code bypassPermissions
--   (--dangerously-skip-permissions), Codex approval_policy never with the danger-full-access sandbox (--yolo), Gemini
--   CLI yolo, or harness-v1 mode bypass. One finding per episode: a run of consecutive actions in that
--   mode within a session.
-- rationale: With approvals off, every action the model chose ran without a person seeing it; deletes, deploys
--   and secret reads then rest on the model alone.
-- remediation: Run agents with approvals on (Claude default or acceptEdits, Codex on-request with a workspace-write
--   sandbox, Gemini default). Where unattended runs are needed, restrict tools with allow and deny rules
--   and a sandbox instead of bypassing approvals, and authorize that exact context in the baseline.
-- references: https://code.claude.com/docs/en/permission-modes
--   https://developers.openai.com/codex/security
--   https://github.com/google-gemini/gemini-cli/blob/main/docs/cli/configuration.md
-- false_positives: Disposable sandboxes or CI containers holding no credentials, where bypass is deliberate: authorize
--   them in the baseline by agent, host or repo.
-- frameworks: soc2=CC6.1,CC6.3,CC8.1; iso27001=A.5.15,A.8.2,A.8.32; nist80053=AC-6,CM-3,CM-5
-- version: 5

-- Episodes are found over all actions (so an episode's id does not depend on --since/--until) and
-- reported when they overlap the window. The episode arithmetic reads only small columns; the first
-- action of each episode is described at the end.
WITH ordered AS (
    SELECT a.action_id, a.session_id, a.subject, a.ts, a.mode, a.raw_mode, a.classes, a.in_window, a.evidence,
           a.agent, a.actor, a.principal, a.host, a.repo,
           -- A sub-agent's actions make episodes of their own: the parent's actions between them, in the parent's own
           -- mode, do not end a sub-agent's run in bypass (nor does it end the parent's).
           ha_flag(a.flags, 'subagent') AS subagent,
           sum(CASE WHEN a.mode = 'bypass' THEN 0 ELSE 1 END)
                OVER (PARTITION BY a.session_id, ha_flag(a.flags, 'subagent') ORDER BY a.ts, a.action_id) AS episode
    FROM all_actions a
    WHERE (a.has_call OR a.has_result OR a.has_decision) AND NOT a.blocked AND a.format <> 'k8s-audit'
      -- Only sessions with an action in bypass mode in the window have episodes to report: the others are
      -- not ordered.
      AND a.session_id IN (SELECT b.session_id FROM actions b WHERE b.mode = 'bypass')
),
bypass AS (
    SELECT *, first_value(action_id) OVER (PARTITION BY session_id, subagent, episode ORDER BY ts, action_id) AS first_id,
           -- The id names the first action by time, then by call id or content (not by storage order, which
           -- depends on the order files were ingested in): the same episode has the same id in every store.
           first_value(subject) OVER (PARTITION BY session_id, subagent, episode ORDER BY ts, subject) AS first_subject,
           -- What the finding describes: the episode's actions in the window (all of them without one).
           first_value(action_id) OVER (PARTITION BY session_id, subagent, episode ORDER BY coalesce(in_window, 0) DESC, ts, action_id) AS first_in_window
    FROM ordered
    WHERE mode = 'bypass'
),
episodes AS (
    SELECT group_concat(CASE WHEN in_window THEN evidence END) AS evidence, session_id, first_id, max(first_subject) AS first_subject,
           min(CASE WHEN in_window THEN ts END) AS ts, max(first_in_window) AS first_in_window,
           max(agent) AS agent, max(actor) AS actor,
           max(principal) AS principal, max(host) AS host, max(repo) AS repo, coalesce(max(raw_mode), 'bypass') AS mode,
           sum(in_window) AS actions, count(*) - sum(in_window) AS outside, max(in_window) AS overlaps,
           trim(CASE WHEN sum(in_window * ha_has(classes, 'delete')) > 0 THEN sum(in_window * ha_has(classes, 'delete')) || ' delete, ' ELSE '' END
             || CASE WHEN sum(in_window * ha_has(classes, 'deploy')) > 0 THEN sum(in_window * ha_has(classes, 'deploy')) || ' deploy, ' ELSE '' END
             || CASE WHEN sum(in_window * ha_has(classes, 'schema')) > 0 THEN sum(in_window * ha_has(classes, 'schema')) || ' schema change, ' ELSE '' END
             || CASE WHEN sum(in_window * ha_has(classes, 'merge')) > 0 THEN sum(in_window * ha_has(classes, 'merge')) || ' merge, ' ELSE '' END
             || CASE WHEN sum(in_window * ha_has(classes, 'high_risk')) > 0 THEN sum(in_window * ha_has(classes, 'high_risk')) || ' high-risk, ' ELSE '' END
             || CASE WHEN sum(in_window * ha_has(classes, 'sensitive_read')) > 0 THEN sum(in_window * ha_has(classes, 'sensitive_read')) || ' secret read, ' ELSE '' END,
             ', ') AS risky
    FROM bypass
    GROUP BY session_id, subagent, episode
)
-- An episode that a window cuts is reported in each window it overlaps, under one id, each time with the actions
-- it ran in that window.
-- The evidence starts with the line that turned approvals off when one did (a Codex turn context, a mode switch, a
-- session's configuration): the latest before the episode's first action, by time, else by position in the store.
SELECT coalesce((SELECT s.id || ',' FROM mode_statements s JOIN all_actions b ON b.action_id = e.first_id
                 WHERE s.session_id = e.session_id
                   AND CASE WHEN s.ts IS NOT NULL AND b.ts IS NOT NULL THEN s.ts <= b.ts ELSE s.id < b.action_id END
                 ORDER BY s.ts DESC, s.id DESC LIMIT 1), '') || e.evidence AS evidence,
       e.session_id, 'bypass:' || e.first_subject AS subject, e.ts, f.anchor_id, f.command, e.agent, e.actor,
       e.principal, e.host, e.repo, e.mode,
       e.actions || CASE WHEN e.actions = 1 THEN ' action' ELSE ' actions' END || ' ran with approvals off (' || e.mode || ')'
         || CASE WHEN e.risky <> '' THEN ', among them ' || e.risky ELSE '' END
         || '; the first: ' || coalesce(f.action, '?')
         || CASE WHEN e.outside > 0 THEN ' (the episode ran ' || e.outside || ' more outside the window)' ELSE '' END AS reason
FROM episodes e
JOIN all_actions f ON f.action_id = e.first_in_window
WHERE e.overlaps
