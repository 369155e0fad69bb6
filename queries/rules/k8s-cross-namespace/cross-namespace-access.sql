-- id: cross-namespace-access
-- title: An agent reached into another namespace
-- category: k8s-cross-namespace
-- severity: medium
-- description: An agent's service-account principal acted in a namespace other than its own, or an agent's principal
--   listed or watched a namespaced resource across all namespaces (from the audit log, or the agent's own kubectl -A).
-- rationale: Namespaces are the isolation boundary between teams and workloads; an agent that crosses them has
--   more access than its task needs.
-- remediation: Bind agent service accounts with RoleBindings in their own namespace instead of ClusterRoleBindings;
--   remove list and watch across namespaces.
-- references: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
-- false_positives: Agents whose task spans namespaces by design: authorize by principal and namespace target in the
--   baseline.
-- frameworks: soc2=CC6.1,CC6.3; iso27001=A.5.15,A.5.18,A.8.3; nist80053=AC-3,AC-6
-- version: 4

-- Requests an agent's account makes into one other namespace (or across all) within an hour are one finding, citing
-- every request: one `helm upgrade` or one controller loop is one reach, not one alert per request.
WITH hits AS (
    SELECT a.evidence, a.session_id, a.ts, a.anchor_id, a.command, a.targets, a.agent, a.actor, a.principal, a.host, a.repo,
           coalesce(a.attrs ->> 'namespace', 'all namespaces') AS target,
           CASE WHEN a.format = 'k8s-audit' AND a.window_ts IS NOT NULL
                THEN 'namespace:' || coalesce(a.principal, '') || coalesce(' as ' || (a.attrs ->> 'impersonated_user'), '')
                     || ':' || coalesce(a.attrs ->> 'namespace', '*') || ':' || (a.window_ts / 3600000)
                -- A harness's calls listing across all namespaces: one finding per session and hour too.
                WHEN a.window_ts IS NOT NULL THEN 'namespace:*:' || (a.window_ts / 3600000)
                ELSE a.subject END AS subject,
           CASE WHEN a.format = 'k8s-audit'
                THEN (a.attrs ->> 'verb') || ' ' || coalesce(a.attrs ->> 'resource', '?') || coalesce('/' || (a.attrs ->> 'subresource'), '')
                END AS request,
           CASE WHEN a.format = 'k8s-audit' AND a.attrs ->> 'namespace' IS NOT NULL
                THEN a.principal || coalesce(' as ' || (a.attrs ->> 'impersonated_user'), '')
                     || ' (namespace ' || (a.attrs ->> 'principal_namespace') || ') '
                WHEN a.format = 'k8s-audit'
                THEN a.principal || coalesce(' as ' || (a.attrs ->> 'impersonated_user'), '') || ' ' END AS who,
           CASE WHEN a.format = 'k8s-audit' AND a.attrs ->> 'namespace' IS NOT NULL THEN ' in namespace ' || (a.attrs ->> 'namespace')
                WHEN a.format = 'k8s-audit' THEN ' across all namespaces' END AS place,
           'Listed across all namespaces: ' || a.action AS listed,
           a.format
    FROM actions a
    WHERE NOT a.blocked
      -- Another namespace than its own: a service account's (it has one); across all namespaces: any agent's principal
      -- (a cloud identity the baseline names, `agent_principals`, lists across namespaces as well as an account).
      AND ((a.format = 'k8s-audit' AND a.by_agent
            AND ((a.attrs ->> 'principal_namespace' IS NOT NULL AND a.attrs ->> 'namespace' IS NOT NULL
                  AND a.attrs ->> 'namespace' <> a.attrs ->> 'principal_namespace')
                 OR instr(a.targets, '"value":"*"')
                    AND EXISTS (SELECT 1 FROM json_each(a.targets) t WHERE t.value ->> 'kind' = 'namespace' AND t.value ->> 'value' = '*')))
           OR (a.format <> 'k8s-audit' AND instr(a.targets, '"value":"*"')
               AND EXISTS (SELECT 1 FROM json_each(a.targets) t WHERE t.value ->> 'kind' = 'namespace' AND t.value ->> 'value' = '*')))
)
-- The first request (as stored) speaks for the group: SQLite takes the bare columns from min()'s row.
SELECT group_concat(h.evidence) AS evidence, h.session_id, h.subject, h.ts, min(h.anchor_id) AS anchor_id, h.command, h.targets,
       h.agent, h.actor, h.principal, h.host, h.repo, h.target,
       CASE WHEN h.format <> 'k8s-audit'
            THEN h.listed || CASE WHEN count(*) > 1 THEN ' (and ' || (count(*) - 1) || ' more within the hour)' ELSE '' END
            WHEN count(*) = 1 THEN h.who || h.request || h.place
            ELSE h.who || 'made ' || count(*) || ' requests' || h.place || ' within the hour: '
                 || replace(group_concat(DISTINCT h.request), ',', ', ')
            END AS reason
FROM hits h
GROUP BY h.session_id, h.subject
