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
-- version: 3

SELECT a.evidence, a.session_id, a.subject, a.ts, a.anchor_id, a.command, a.targets, a.agent, a.actor, a.principal, a.host, a.repo,
       (SELECT group_concat(t.value ->> 'value', ', ') FROM json_each(a.targets) t WHERE t.value ->> 'kind' IN ('resource', 'principal')) AS target,
       -- A request made as another identity took that identity's permissions: said so, not as a grant.
       CASE WHEN a.attrs ->> 'impersonated_user' IS NOT NULL
            THEN 'Acted as another identity: ' || a.action || ' (' || coalesce(a.principal, 'an agent') || ' acting as '
                 || (a.attrs ->> 'impersonated_user') || ' through impersonation)'
            ELSE 'Permissions were widened: ' || a.action END AS reason
FROM actions a
WHERE ha_has(a.classes, 'privilege') AND NOT a.blocked AND a.by_agent
