-- id: permission-change
-- title: Permissions were widened
-- category: privilege-escalation
-- severity: critical
-- description: An action changed who may do what: RBAC bindings and roles created or patched (binding cluster-admin
--   in particular), the bind, escalate and impersonate verbs, impersonation, cloud IAM policy changes,
--   SQL GRANT, local user and group changes, and an agent writing its harness's own settings to loosen its
--   approvals (Claude Code defaultMode bypassPermissions, Codex approval_policy never, Gemini yolo).
-- rationale: An agent that can grant permissions can grant itself anything; every such change must go through an
--   owner.
-- remediation: Remove RBAC, IAM and user-management rights from agent identities; manage permissions as reviewed
--   code.
-- references: https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks
--   https://attack.mitre.org/techniques/T1098/
-- false_positives: Platform automation whose job is RBAC management: authorize by principal in the baseline.
-- frameworks: soc2=CC6.1,CC6.2,CC6.3; iso27001=A.5.18,A.8.2; nist80053=AC-2,AC-6,AC-6(10)
-- version: 4

-- An agent acting as another identity request after request (a Kubernetes MCP server impersonating its user) is one
-- finding per session, identity and hour, citing every request; each other change is a finding of its own.
WITH hits AS (
    SELECT a.evidence, a.session_id, a.ts, a.anchor_id, a.command, a.targets, a.agent, a.actor, a.principal, a.host, a.repo,
           (SELECT group_concat(t.value ->> 'value', ', ') FROM json_each(a.targets) t WHERE t.value ->> 'kind' IN ('resource', 'principal')) AS target,
           a.attrs ->> 'impersonated_user' AS impersonated, a.action,
           CASE WHEN a.attrs ->> 'privilege' = 'impersonation' AND a.window_ts IS NOT NULL
                THEN 'impersonate:' || (a.attrs ->> 'impersonated_user') || ':' || (a.window_ts / 3600000)
                ELSE a.subject END AS subject
    FROM actions a
    WHERE ha_has(a.classes, 'privilege') AND NOT a.blocked AND a.by_agent
      -- Impersonation alone widens something only when an agent acts as another identity: made as the agent (a proxy
      -- impersonating its callers), the request is the agent's own, with its own rights.
      AND (coalesce(a.attrs ->> 'privilege', '') <> 'impersonation' OR ha_agent_principal(a.principal))
)
-- The first request (as stored) speaks for the hour: SQLite takes the bare columns from min()'s row.
SELECT group_concat(h.evidence) AS evidence, h.session_id, h.subject, h.ts, min(h.anchor_id) AS anchor_id, h.command, h.targets,
       h.agent, h.actor, h.principal, h.host, h.repo, h.target,
       -- A request made as another identity took that identity's permissions: said so, not as a grant.
       CASE WHEN h.impersonated IS NOT NULL
            THEN 'Acted as another identity: ' || h.action || ' (' || coalesce(h.principal, 'an agent') || ' acting as '
                 || h.impersonated || ' through impersonation'
                 || CASE WHEN count(*) > 1 THEN ', ' || count(*) || ' requests within the hour' ELSE '' END || ')'
            ELSE 'Permissions were widened: ' || h.action END AS reason
FROM hits h
GROUP BY h.session_id, h.subject
