-- id: k8s-without-harness-record
-- title: Kubernetes requests by an agent have no harness record
-- category: audit-gap
-- severity: medium
-- description: An agent's principal made Kubernetes API requests that were allowed, and no harness log in the store
--   shows a kubectl, helm, oc or Kubernetes tool call within 10 minutes of them that could have made them. A call
--   with no time (Claude Code hook payloads) counts within the week before its log file's time. A call makes only
--   requests of its kind: an exec, attach, cp or port-forward those of the pods (and services) it reaches, into the
--   pods it names; a read only reads, and of the secrets only those it names; a delete deletes, a token request
--   mints, an RBAC command changes roles and bindings, another change changes (manifests applied, helm and the
--   like can make any request); a delete or a change that names its objects (`delete pod web-1`) makes requests for
--   those objects only. A call naming other namespaces (or one namespace, for a request across all), from
--   a session that names another principal, does not count. One finding per principal and hour.
-- rationale: When the cluster sees an agent act but the harness log does not, either the harness log is missing
--   or something else uses the agent's credentials.
-- remediation: Ingest the harness logs of the runners that hold the principal's credentials; if none exist, treat
--   the credentials as leaked and rotate them.
-- references: https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
-- false_positives: Controllers or jobs that legitimately use an agent's service account: give them their own account.
-- frameworks: soc2=CC7.2,CC4.1; iso27001=A.8.15,A.8.16,A.5.28; nist80053=AU-5,AU-6,AU-9,AU-12
-- version: 8

-- A request is matched by a Kubernetes client call in a harness log (any session, before or after the
-- window) within :gap_window_ms that could have made it (its kind, namespaces, objects and principal: see the
-- description). A call that touches an agent's credentials cannot cover what else is done with them.
--
-- Each step is computed once: a NOT EXISTS over the client calls re-read every action for each request (SQLite
-- materializes a table inside a correlated subquery on every run of it): 240 s for 200,000 requests.
WITH requests AS MATERIALIZED (
    SELECT a.* FROM actions a
    -- (A request logged only as received is one too: it may have run.)
    WHERE a.format = 'k8s-audit' AND NOT a.blocked AND a.ts IS NOT NULL
      AND a.by_agent
      -- A request the model paired with the harness call that made it has that record.
      AND NOT EXISTS (SELECT 1 FROM k8s_made_by m WHERE m.request_id = a.action_id)
),
-- The harness's Kubernetes client calls, with what they can make: exec-like calls (1) make exec requests, read-only
-- calls (2) make reads, anything else (0: apply, delete, helm…) makes anything but an exec; and the times of the
-- requests they can have made, `lo` to `hi`: within :gap_window_ms of the call, or, for a call with no time
-- (Claude Code hook payloads), in the day before its log file's time and up to :gap_window_ms after it.
clients AS MATERIALIZED (
    -- Alike calls once (a hook log's many `kubectl get pods` share one file time).
    SELECT DISTINCT h.targets, h.principal, h.command,
           -- (A call with no time: within the week before its log file's time; a log rotated weekly was written over
           -- that long.)
           CASE WHEN h.file_ts IS NOT NULL THEN h.file_ts - 604800000 WHEN h.ts IS NULL THEN h.window_ts - 604800000
                ELSE h.ts - :gap_window_ms END AS lo,
           coalesce(h.file_ts, h.ts, h.window_ts) + :gap_window_ms AS hi,
           CASE WHEN EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'command'
                               AND t.value ->> 'value' IN ('kubectl exec', 'kubectl attach', 'kubectl port-forward', 'kubectl cp',
                                                           'kubectl debug', 'oc exec', 'oc rsh', 'oc attach', 'oc port-forward',
                                                           'oc rsync', 'oc cp', 'oc debug')) THEN 1
                WHEN EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'command'
                               AND t.value ->> 'value' IN ('kubectl get', 'kubectl describe', 'kubectl logs', 'kubectl top', 'kubectl wait',
                                                           'kubectl events', 'kubectl explain', 'kubectl auth', 'kubectl api-resources',
                                                           'oc get', 'oc describe', 'oc logs')) THEN 2
                -- A Kubernetes MCP server's tools, by name (`pods_exec`, `resources_get`, `pods_log`).
                WHEN h.kube_server AND (h.tool_name LIKE '%exec%' OR h.tool_name LIKE '%attach%' OR h.tool_name LIKE '%port%forward%') THEN 1
                WHEN h.kube_server AND (h.tool_name LIKE '%get%' OR h.tool_name LIKE '%list%' OR h.tool_name LIKE '%log%'
                                        OR h.tool_name LIKE '%describe%' OR h.tool_name LIKE '%top%' OR h.tool_name LIKE '%events%') THEN 2
                ELSE 0 END AS makes,
           EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'namespace') AS names_namespaces,
           h.kube_server OR EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'secret') AS reads_secrets,
           -- What a change may make: anything when it applies manifests or is a tool that does (helm, kustomize, argocd,
           -- skaffold, k9s, a Kubernetes MCP server), else what its classes say. One that changes nothing in the cluster
           -- (`helm template`, `kustomize build`, `kubectl apply --dry-run=client`) makes nothing but reads.
           h.kube_server OR (instr(h.command, 'proxy') OR instr(h.command, '--dry-run=server')
                             OR ha_has(h.classes, 'deploy') OR ha_has(h.classes, 'delete') OR ha_has(h.classes, 'privilege')
                             OR ha_has(h.classes, 'credential'))
                            AND EXISTS (SELECT 1 FROM json_each(h.targets) t
                                    WHERE t.value ->> 'kind' = 'command'
                                      AND (t.value ->> 'value' IN ('kubectl apply', 'kubectl replace', 'kubectl kustomize', 'kubectl proxy',
                                                                   'oc apply', 'oc replace', 'oc process', 'oc new-app', 'oc proxy')
                                           -- `create -f FILE`, `-f -` (a here-document), `-f URL`, `-k DIR`.
                                           OR t.value ->> 'value' IN ('kubectl create', 'oc create')
                                              AND (instr(h.targets, '"kind":"path"') OR instr(h.command, ' -f') OR instr(h.command, '--filename')
                                                   OR instr(h.command, ' -k ') OR instr(h.command, '--kustomize'))
                                           OR t.value ->> 'value' NOT LIKE 'kubectl%' AND t.value ->> 'value' NOT LIKE 'oc %'
                                              AND t.value ->> 'value' <> 'oc'
                                              AND (t.value ->> 'value' LIKE 'helm%' OR t.value ->> 'value' LIKE 'k9s%'
                                                   OR t.value ->> 'value' LIKE 'argocd%' OR t.value ->> 'value' LIKE 'kustomize%'
                                                   OR t.value ->> 'value' LIKE 'skaffold%'))) AS manifests,
           ha_has(h.classes, 'delete') AS deletes, ha_has(h.classes, 'deploy') AS deploys,
           ha_has(h.classes, 'privilege') AS grants, ha_has(h.classes, 'credential') AS mints,
           -- The access an exec-like call asks of a pod (`kubectl port-forward` forwards, it does not exec).
           (SELECT CASE t.value ->> 'op' WHEN 'port-forward' THEN 'portforward' WHEN 'attach' THEN 'attach' WHEN 'debug' THEN 'attach'
                                         ELSE 'exec' END
            FROM json_each(h.targets) t
            WHERE t.value ->> 'kind' = 'resource' AND t.value ->> 'value' LIKE 'pod %' AND t.value ->> 'op' IS NOT NULL LIMIT 1) AS access,
           -- The pods an exec or attach names (`kubectl exec web-0`); NULL when it names none, a workload (`deploy/web`) or a
           -- name the line works out (`$POD`, `$(kubectl get pod -o name)`, `{}`).
           (SELECT CASE WHEN count(*) > 0 AND count(*) = count(CASE WHEN instr(v, '/') = 0 AND instr(v, '$') = 0 AND instr(v, '`') = 0
                                                                     AND instr(v, '{') = 0 AND instr(v, '*') = 0 AND instr(v, '(') = 0
                                                                THEN 1 END)
                        THEN ',' || group_concat(v, ',') || ',' END
            FROM (SELECT substr(t.value ->> 'value', 5) AS v FROM json_each(h.targets) t
                  WHERE t.value ->> 'kind' = 'resource' AND t.value ->> 'op' IN ('exec', 'attach') AND t.value ->> 'value' LIKE 'pod %'))
             AS exec_pods,
           -- Names the objects it acts on (`pod web-1`, `deployment/web`), not a kind, a file or a selector: then a delete or
           -- a change makes requests for those objects only (their names among the words of its command).
           EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'resource' AND t.value ->> 'op' IS NULL
                     AND t.value ->> 'value' NOT LIKE 'mcp server %'
                     AND (instr(t.value ->> 'value', ' ') OR instr(t.value ->> 'value', '/')))
             AND NOT instr(coalesce(h.command, ''), ' drain ') AND NOT instr(coalesce(h.command, ''), ' -l ')
             AND NOT instr(coalesce(h.command, ''), '--selector') AND NOT instr(coalesce(h.command, ''), '--all') AS names_objects,
           ' ' || replace(replace(replace(replace(replace(replace(replace(coalesce(h.command, ''), '/', ' '), ':', ' '), '=', ' '),
                                                  ',', ' '), '''', ' '), '"', ' '), char(10), ' ') || ' ' AS words,
           -- The secrets a read names (`kubectl get secret db`); NULL when it names none.
           (SELECT ',' || group_concat(substr(t.value ->> 'value', 8), ',') || ',' FROM json_each(h.targets) t
            WHERE t.value ->> 'kind' = 'secret' AND t.value ->> 'value' LIKE 'secret %' AND instr(t.value ->> 'value', '/') = 0)
             AS read_secrets
    FROM (SELECT a.*,
                 -- The tool's own name, after the server's (`mcp__k8s-desktop__pods_log` → `pods_log`).
                 replace(replace(a.tool, '__', char(1)),
                         rtrim(replace(a.tool, '__', char(1)), replace(replace(a.tool, '__', char(1)), char(1), '')), '') AS tool_name,
                 -- An MCP server for Kubernetes, whichever way the harness names its tools (`mcp__kubernetes__…`,
                 -- Codex's `kubernetes__…`).
                 (a.tool LIKE 'mcp%kube%' OR a.tool LIKE 'mcp%k8s%'
                  OR instr(a.targets, '"mcp server ') AND EXISTS (SELECT 1 FROM json_each(a.targets) t
                                                                 WHERE t.value ->> 'kind' = 'resource'
                                                                   AND (t.value ->> 'value' LIKE 'mcp server %kube%'
                                                                        OR t.value ->> 'value' LIKE 'mcp server %k8s%'))) AS kube_server,
                 -- A call none of whose records is dated (Claude Code hook payloads) took its session's first time to be
                 -- placed; when it ran, only its log file's time bounds: the latest it can have run.
                 (SELECT k.file_ts FROM k8s_call_times k WHERE k.action_id = a.action_id) AS file_ts
          FROM all_actions a) h
    WHERE h.format <> 'k8s-audit' AND NOT h.blocked AND coalesce(h.ts, h.window_ts) IS NOT NULL
      AND (h.kube_server
           OR EXISTS (SELECT 1 FROM json_each(h.targets) t
                      WHERE t.value ->> 'kind' = 'command'
                        AND (t.value ->> 'value' LIKE 'kubectl%' OR t.value ->> 'value' LIKE 'helm%'
                             OR t.value ->> 'value' LIKE 'oc %' OR t.value ->> 'value' = 'oc'
                             OR t.value ->> 'value' LIKE 'k9s%' OR t.value ->> 'value' LIKE 'argocd%'
                             OR t.value ->> 'value' LIKE 'kustomize%' OR t.value ->> 'value' LIKE 'skaffold%'
                             OR t.value ->> 'value' LIKE 'helmfile%')))
),
-- Each call in every time bucket (:gap_window_ms wide) its requests can fall in, so each request is compared with
-- the calls of its own bucket only.
steps(i) AS (
    SELECT 0 UNION ALL SELECT i + 1 FROM steps WHERE i <= (604800000 + 2 * :gap_window_ms) / max(:gap_window_ms, 1)
),
spans AS MATERIALIZED (
    SELECT h.*, h.lo / max(:gap_window_ms, 1) + s.i AS bucket
    FROM clients h JOIN steps s ON h.lo / max(:gap_window_ms, 1) + s.i <= h.hi / max(:gap_window_ms, 1)
),
matched AS MATERIALIZED (
    SELECT DISTINCT p.action_id FROM requests p JOIN spans h ON h.bucket = p.ts / max(:gap_window_ms, 1)
    WHERE p.ts BETWEEN h.lo AND h.hi
      AND CASE h.makes
            -- An exec, attach, cp, debug or port-forward: the pods (and a port-forward's service) it reaches, and the
            -- exec or attach into a pod it names.
            -- (It reads what it goes through first: `exec deploy/web` gets the deployment to find its pod.)
            WHEN 1 THEN (p.attrs ->> 'verb' IN ('get', 'list', 'watch') AND coalesce(p.attrs ->> 'resource', '') <> 'secrets'
                         OR coalesce(p.attrs ->> 'resource', '') IN ('pods', 'services', 'endpoints', 'nodes')
                            AND (coalesce(p.attrs ->> 'subresource', '') IN ('exec', 'attach', 'portforward', 'ephemeralcontainers')
                                 OR p.attrs ->> 'verb' = 'create'))
                        AND (h.exec_pods IS NULL OR coalesce(p.attrs ->> 'subresource', '') NOT IN ('exec', 'attach')
                             OR instr(h.exec_pods, ',' || (p.attrs ->> 'name') || ','))
                        AND (h.access IS NULL OR coalesce(p.attrs ->> 'subresource', '') NOT IN ('exec', 'attach', 'portforward')
                             OR p.attrs ->> 'subresource' = h.access)
                        -- An exec runs the command it names: an exec that ran another is not its.
                        AND (p.attrs ->> 'exec_command' IS NULL OR coalesce(p.attrs ->> 'subresource', '') <> 'exec'
                             OR instr(h.command, ' -- ') = 0
                             OR instr(replace(replace(h.command, '''', ''), '"', ''), p.attrs ->> 'exec_command'))
            -- A read (`kubectl get`, `auth can-i`): reads, and the questions `auth` asks.
            WHEN 2 THEN (p.attrs ->> 'verb' IN ('get', 'list', 'watch')
                         OR p.attrs ->> 'verb' = 'create'
                            AND p.attrs ->> 'resource' IN ('selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews',
                                                           'subjectaccessreviews', 'localsubjectaccessreviews'))
                        AND coalesce(p.attrs ->> 'subresource', '') NOT IN ('exec', 'attach', 'portforward')
            -- A change: what its classes say it does (reads besides, not of secrets); any request when it applies manifests.
            ELSE coalesce(p.attrs ->> 'subresource', '') NOT IN ('exec', 'attach', 'portforward')
                 AND (h.manifests
                      -- Reads, of secrets when the command names them (`edit secret x`, `set env --from=secret/x`: not `y`).
                      OR CASE WHEN p.attrs ->> 'verb' IN ('get', 'list', 'watch')
                              THEN coalesce(p.attrs ->> 'resource', '') <> 'secrets'
                                   OR (h.reads_secrets OR instr(h.command, 'secret'))
                                      AND (p.attrs ->> 'name' IS NULL
                                           OR instr(' ' || replace(replace(replace(h.command, '/', ' '), '=', ' '), ',', ' ') || ' ',
                                                    ' ' || (p.attrs ->> 'name') || ' '))
                              -- A delete, or a pod a change removes itself (`run --rm`, `drain`).
                              WHEN p.attrs ->> 'verb' IN ('delete', 'deletecollection')
                              THEN (h.deletes OR instr(h.command, '--dry-run=server') AND instr(h.command, 'delete'))
                                   AND (NOT h.names_objects
                                                  OR p.attrs ->> 'verb' = 'delete' AND instr(h.words, ' ' || (p.attrs ->> 'name') || ' '))
                                   OR p.attrs ->> 'resource' = 'pods' AND (instr(h.command, '--rm') OR instr(h.command, ' drain '))
                              WHEN p.attrs ->> 'verb' IN ('bind', 'escalate', 'impersonate')
                                   OR p.attrs ->> 'resource' IN ('roles', 'rolebindings', 'clusterroles', 'clusterrolebindings') THEN h.grants
                              WHEN p.attrs ->> 'resource' = 'serviceaccounts' AND p.attrs ->> 'subresource' = 'token' THEN h.mints
                              ELSE (h.deploys OR h.grants)
                                   AND (NOT h.names_objects OR p.attrs ->> 'name' IS NULL OR p.attrs ->> 'verb' = 'create'
                                        OR instr(h.words, ' ' || (p.attrs ->> 'name') || ' ')) END)
          END
      -- A read of other objects (`kubectl get pods`) does not read secrets; one that names its secrets reads those
      -- (`kubectl get secret db`: not `db-credentials`, not a list of them).
      AND (h.makes <> 2 OR h.reads_secrets OR coalesce(p.attrs ->> 'resource', '') <> 'secrets')
      AND (h.read_secrets IS NULL OR coalesce(p.attrs ->> 'resource', '') <> 'secrets'
           OR instr(h.read_secrets, ',' || (p.attrs ->> 'name') || ','))
      -- A harness session that names its principal makes requests as that principal only.
      AND (h.principal IS NULL OR h.principal IN (p.principal, p.attrs ->> 'impersonated_user')
           -- the account's own name (`agent-runner` for `system:serviceaccount:ci:agent-runner`)
           OR substr(p.principal, -length(h.principal) - 1) = ':' || h.principal
           OR substr(p.attrs ->> 'impersonated_user', -length(h.principal) - 1) = ':' || h.principal)
      -- A call naming namespaces makes requests in those; across all of them only when it names all (`-A`). (A request
      -- across all namespaces has the namespace target `*`; a cluster-scoped one has none.)
      AND (NOT h.names_namespaces
           OR EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'namespace' AND t.value ->> 'value' = '*')
           OR CASE WHEN p.attrs ->> 'namespace' IS NOT NULL
                   THEN EXISTS (SELECT 1 FROM json_each(h.targets) t
                                WHERE t.value ->> 'kind' = 'namespace' AND t.value ->> 'value' = p.attrs ->> 'namespace')
                   ELSE NOT instr(p.targets, '"value":"*"') END)
),
unmatched AS MATERIALIZED (
    SELECT r.* FROM requests r WHERE r.action_id NOT IN (SELECT m.action_id FROM matched m)
),
-- The distinct requests of each principal and hour, in the order they were first made (not in storage order),
-- listed once per group (a list worked out for every group from all unmatched requests was quadratic: 240 s
-- for 200,000 requests).
described AS (
    SELECT v.principal, v.ts / 3600000 AS hour,
           coalesce(v.attrs ->> 'verb', '?') || ' ' || coalesce(v.attrs ->> 'resource', '?')
           || coalesce('/' || (v.attrs ->> 'subresource'), '')
           || coalesce(' in ' || (v.attrs ->> 'namespace'), '') AS request,
           min(v.ts) AS first_ts, min(v.anchor_id) AS first_anchor
    FROM unmatched v
    GROUP BY v.principal, hour, request
),
listed AS (
    SELECT principal, hour, requests FROM (
        SELECT principal, hour,
               group_concat(request, ', ') OVER (PARTITION BY principal, hour ORDER BY first_ts, first_anchor, request
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS requests,
               row_number() OVER (PARTITION BY principal, hour ORDER BY first_ts, first_anchor, request) AS n
        FROM described)
    WHERE n = 1
),
-- The unmatched requests and the lists of their groups, grouped together (a join of the two went without an index).
combined AS (
    SELECT u.principal, u.ts / 3600000 AS hour, u.evidence, u.session_id, u.ts, u.anchor_id, 1 AS n, NULL AS requests
    FROM unmatched u
    UNION ALL
    SELECT l.principal, l.hour, NULL, NULL, NULL, NULL, 0, l.requests FROM listed l
),
-- One finding per principal and hour.
gaps AS (
    SELECT group_concat(c.evidence) AS evidence, min(c.session_id) AS session_id, c.principal, c.hour, min(c.ts) AS ts,
           min(c.anchor_id) AS anchor_id, sum(c.n) AS n, max(c.requests) AS requests
    FROM combined c
    GROUP BY c.principal, c.hour
)
-- The subject (what the finding's id is made from) names the principal, the hour and the kinds of requests made in
-- it, read from the whole hour whatever the window: a gap with other requests in the same hour is a new finding
-- (for --new-only and waivers), and a window that cuts the hour does not change the id.
SELECT g.evidence, g.session_id,
       'k8s-gap:' || g.principal || ':' || g.hour || ':' || coalesce((
           SELECT w.list FROM (
               SELECT group_concat(d.request) OVER (ORDER BY d.request ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS list
               FROM (SELECT DISTINCT coalesce(x.attrs ->> 'verb', '?') || ' ' || coalesce(x.attrs ->> 'resource', '?')
                                     || coalesce('/' || (x.attrs ->> 'subresource'), '')
                                     || coalesce(' in ' || (x.attrs ->> 'namespace'), '') AS request
                     FROM all_actions x
                     WHERE x.session_id = g.session_id AND x.ts >= g.hour * 3600000 AND x.ts < (g.hour + 1) * 3600000
                       AND x.format = 'k8s-audit' AND (x.has_call OR x.has_request) AND NOT x.blocked AND x.by_agent
                       AND x.principal = g.principal) d) w
           LIMIT 1), '') AS subject,
       g.ts, g.anchor_id, g.principal AS principal, g.principal AS target,
       g.n || CASE WHEN g.n = 1 THEN ' Kubernetes request' ELSE ' Kubernetes requests' END
         || CASE WHEN ha_agent_principal(g.principal) THEN ' by the agent principal ' || g.principal
                 ELSE ' by ' || g.principal || ' acting as an agent''s principal through impersonation' END
         -- The window before the list: a long list is cut at the end of the reason.
         || CASE WHEN g.n = 1 THEN ' has' ELSE ' have' END || ' no matching harness record within '
         || (:gap_window_ms / 60000) || ' minutes: ' || g.requests AS reason
FROM gaps g
