-- id: pod-exec
-- title: A command ran inside a pod
-- category: k8s-exec
-- severity: high
-- description: An exec, attach or port-forward into a pod was allowed: from the Kubernetes audit log (pods/exec,
--   pods/attach, pods/portforward by an agent's principal, verb create or get) or from the agent's own
--   kubectl, oc or Kubernetes MCP call. When both logs record one exec, it is one finding: the agent's call,
--   with the API server's request in its evidence.
-- rationale: Exec into a running pod bypasses the deployment pipeline and reaches the workload's secrets and data
--   directly.
-- remediation: Remove pods/exec, pods/attach and pods/portforward from agent roles; debug through logs and
--   read-only APIs.
-- references: https://kubernetes.io/docs/reference/access-authn-authz/rbac/
--   https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml
-- false_positives: Port-forwards to a local development cluster: authorize by target context in the baseline.
-- frameworks: soc2=CC6.1,CC6.6; iso27001=A.8.2,A.8.18; nist80053=AC-6,AC-17,CM-7
-- version: 2

-- One exec is often in both logs: the agent's call and the API server's request it made. A request is paired with
-- the nearest harness call within :gap_window_ms (any window, any session) of the same kind (exec, attach,
-- port-forward) that names its pod, or a workload or no pod, in its namespace or none (a call's namespaces are
-- kept between char(1) separators). A paired request is reported with that call, not on its own. Calls are
-- compared in time buckets, each request with its own and the neighbouring buckets, so many requests and calls
-- are not compared each with each.
WITH candidates AS MATERIALIZED (
    SELECT a.action_id, a.ts, a.evidence, a.principal, a.attrs ->> 'impersonated_user' AS impersonated,
           a.format = 'k8s-audit' AS audited,
           CASE WHEN a.format = 'k8s-audit' THEN a.attrs ->> 'namespace'
                ELSE (SELECT char(1) || group_concat(t.value ->> 'value', char(1)) || char(1) FROM json_each(a.targets) t
                      WHERE t.value ->> 'kind' = 'namespace' AND t.value ->> 'value' <> '*') END AS namespace,
           CASE WHEN a.format = 'k8s-audit' THEN a.attrs ->> 'name'
                ELSE (SELECT substr(t.value ->> 'value', 5) FROM json_each(a.targets) t
                      WHERE t.value ->> 'kind' = 'resource' AND t.value ->> 'value' LIKE 'pod %' AND t.value ->> 'op' IS NOT NULL
                      LIMIT 1) END AS pod,
           CASE WHEN a.format = 'k8s-audit' THEN a.attrs ->> 'subresource'
                ELSE coalesce((SELECT CASE t.value ->> 'op' WHEN 'port-forward' THEN 'portforward' WHEN 'attach' THEN 'attach'
                                                            WHEN 'debug' THEN 'attach' ELSE 'exec' END
                               FROM json_each(a.targets) t
                               WHERE t.value ->> 'kind' = 'resource' AND t.value ->> 'value' LIKE 'pod %' AND t.value ->> 'op' IS NOT NULL
                               LIMIT 1), 'exec') END AS access
    FROM all_actions a
    WHERE NOT a.blocked AND ha_has(a.classes, 'remote_exec')
      AND ((a.format = 'k8s-audit' AND a.attrs ->> 'resource' = 'pods'
            AND a.attrs ->> 'subresource' IN ('exec', 'attach', 'portforward') AND a.by_agent)
           OR (a.format <> 'k8s-audit'
               AND (EXISTS (SELECT 1 FROM json_each(a.targets) t
                            WHERE t.value ->> 'kind' = 'command'
                              AND t.value ->> 'value' IN ('kubectl exec', 'kubectl attach', 'kubectl port-forward', 'kubectl cp',
                                                           'kubectl debug', 'oc exec', 'oc rsh', 'oc attach', 'oc port-forward',
                                                           'oc rsync', 'oc cp', 'oc debug'))
                    OR (a.tool LIKE 'mcp%' AND (a.tool LIKE '%kube%' OR a.tool LIKE '%k8s%')))))
),
calls AS MATERIALIZED (
    SELECT c.*, c.ts / max(:gap_window_ms, 1) AS bucket FROM candidates c WHERE NOT c.audited AND c.ts IS NOT NULL
),
probes AS (
    SELECT r.action_id, r.ts, r.namespace, r.pod, r.access, r.principal, r.impersonated,
           r.ts / max(:gap_window_ms, 1) + d.column1 AS bucket
    FROM candidates r, (VALUES (-1), (0), (1)) d
    WHERE r.audited AND r.ts IS NOT NULL
),
pairs AS MATERIALIZED (
    SELECT request_id, call_id FROM (
        SELECT p.action_id AS request_id, c.action_id AS call_id,
               row_number() OVER (PARTITION BY p.action_id ORDER BY abs(c.ts - p.ts), c.action_id) AS n
        FROM probes p JOIN calls c ON c.bucket = p.bucket
        WHERE c.ts BETWEEN p.ts - :gap_window_ms AND p.ts + :gap_window_ms
          AND c.access = p.access
          AND (c.namespace IS NULL OR p.namespace IS NULL OR instr(c.namespace, char(1) || p.namespace || char(1)))
          AND (c.pod IS NULL OR instr(c.pod, '/') OR c.pod = p.pod)
          -- A session that names its principal (the user, or the account's own name) acts as that principal only.
          AND (c.principal IS NULL OR c.principal IN (p.principal, p.impersonated)
               OR substr(p.principal, -length(c.principal) - 1) = ':' || c.principal
               OR substr(p.impersonated, -length(c.principal) - 1) = ':' || c.principal))
    WHERE n = 1
)
SELECT a.evidence || coalesce((SELECT ',' || group_concat(r.evidence) FROM pairs p JOIN candidates r ON r.action_id = p.request_id
                               WHERE p.call_id = a.action_id), '') AS evidence,
       a.session_id, a.subject, a.ts, a.anchor_id, a.command, a.targets, a.agent, a.actor, a.principal, a.host, a.repo,
       coalesce(a.attrs ->> 'namespace' || '/' || (a.attrs ->> 'name'),
                (SELECT group_concat(t.value ->> 'value', ', ') FROM json_each(a.targets) t WHERE t.value ->> 'kind' = 'resource')) AS target,
       CASE WHEN a.format = 'k8s-audit'
            THEN a.principal || ' ran ' || coalesce(a.attrs ->> 'subresource', 'exec') || ' in pod '
                 || coalesce(a.attrs ->> 'namespace', '?') || '/' || coalesce(a.attrs ->> 'name', '?')
                 || coalesce(': ' || (a.attrs ->> 'exec_command'), '')
            ELSE 'Ran a command inside a pod: ' || a.action
                 || coalesce((SELECT '; the Kubernetes audit log shows ' || group_concat(r.principal || ' in pod ' || coalesce(r.namespace, '?') || '/'
                                                                                         || coalesce(r.pod, '?'), ', ') || ' allowed'
                              FROM pairs p JOIN candidates r ON r.action_id = p.request_id
                              WHERE p.call_id = a.action_id), '') END AS reason
FROM actions a
JOIN candidates k ON k.action_id = a.action_id
WHERE NOT (k.audited AND a.action_id IN (SELECT p.request_id FROM pairs p))
