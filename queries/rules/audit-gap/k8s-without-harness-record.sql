-- id: k8s-without-harness-record
-- title: Kubernetes requests by an agent have no harness record
-- category: audit-gap
-- severity: medium
-- description: An agent's principal made Kubernetes API requests that were allowed, and no harness log in the store
--   shows a kubectl, helm, oc or Kubernetes tool call within 10 minutes of them that could have made them
--   (a call naming other namespaces does not count). One finding per principal and hour.
-- rationale: When the cluster sees an agent act but the harness log does not, either the harness log is missing
--   or something else uses the agent's credentials.
-- remediation: Ingest the harness logs of the runners that hold the principal's credentials; if none exist, treat
--   the credentials as leaked and rotate them.
-- references: https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
-- false_positives: Controllers or jobs that legitimately use an agent's service account: give them their own account.
-- frameworks: soc2=CC7.2,CC4.1; iso27001=A.8.15,A.8.16,A.5.28; nist80053=AU-5,AU-6,AU-9,AU-12
-- version: 1

-- A request is matched by a Kubernetes client call in a harness log (any session, before or after the
-- window) within :gap_window_ms, unless that call names other namespaces than the request's.
WITH requests AS (
    SELECT a.* FROM actions a
    WHERE a.format = 'k8s-audit' AND (a.has_call OR a.has_request) AND NOT a.blocked AND a.ts IS NOT NULL
      AND a.by_agent
),
clients AS (
    SELECT h.* FROM all_actions h
    WHERE h.format <> 'k8s-audit' AND NOT h.blocked AND h.ts IS NOT NULL
      AND (h.tool LIKE 'mcp%kube%' OR h.tool LIKE 'mcp%k8s%'
           OR EXISTS (SELECT 1 FROM json_each(h.targets) t
                      WHERE t.value ->> 'kind' = 'command'
                        AND (t.value ->> 'value' LIKE 'kubectl%' OR t.value ->> 'value' LIKE 'helm%'
                             OR t.value ->> 'value' LIKE 'oc %' OR t.value ->> 'value' = 'oc'
                             OR t.value ->> 'value' LIKE 'k9s%' OR t.value ->> 'value' LIKE 'argocd%'
                             OR t.value ->> 'value' LIKE 'kustomize%' OR t.value ->> 'value' LIKE 'skaffold%'
                             OR t.value ->> 'value' LIKE 'helmfile%')))
),
unmatched AS MATERIALIZED (
    SELECT r.* FROM requests r
    WHERE NOT EXISTS (
        SELECT 1 FROM clients h
        WHERE h.ts BETWEEN r.ts - :gap_window_ms AND r.ts + :gap_window_ms
          -- A client call that could have made the request: exec-like calls make exec requests, read-only
          -- calls make reads, anything else (apply, delete, helm…) makes anything but an exec.
          AND CASE
                WHEN EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'command'
                               AND (t.value ->> 'value' IN ('kubectl exec', 'kubectl attach', 'kubectl port-forward', 'kubectl cp',
                                                            'kubectl debug', 'oc exec', 'oc rsh', 'oc attach', 'oc port-forward',
                                                            'oc rsync', 'oc cp', 'oc debug')))
                  THEN coalesce(r.attrs ->> 'subresource', '') IN ('exec', 'attach', 'portforward') OR r.attrs ->> 'verb' IN ('get', 'list', 'watch', 'create')
                WHEN EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'command'
                               AND t.value ->> 'value' IN ('kubectl get', 'kubectl describe', 'kubectl logs', 'kubectl top', 'kubectl wait',
                                                           'kubectl events', 'kubectl explain', 'kubectl auth', 'kubectl api-resources',
                                                           'oc get', 'oc describe', 'oc logs'))
                  THEN r.attrs ->> 'verb' IN ('get', 'list', 'watch') AND coalesce(r.attrs ->> 'subresource', '') NOT IN ('exec', 'attach', 'portforward')
                ELSE coalesce(r.attrs ->> 'subresource', '') NOT IN ('exec', 'attach', 'portforward')
              END
          AND (r.attrs ->> 'namespace' IS NULL
               OR NOT EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'namespace')
               OR EXISTS (SELECT 1 FROM json_each(h.targets) t
                          WHERE t.value ->> 'kind' = 'namespace' AND t.value ->> 'value' IN (r.attrs ->> 'namespace', '*'))))
)
SELECT group_concat(u.evidence) AS evidence, min(u.session_id) AS session_id,
       'k8s-gap:' || u.principal || ':' || (u.ts / 3600000) AS subject, min(u.ts) AS ts, min(u.anchor_id) AS anchor_id,
       u.principal AS principal, u.principal AS target,
       count(*) || CASE WHEN count(*) = 1 THEN ' Kubernetes request' ELSE ' Kubernetes requests' END || ' by the agent principal '
         || u.principal || ' ('
         -- The distinct requests in the order they were first made (not in storage order).
         || (SELECT group_concat(d.request) FROM (
                SELECT coalesce(v.attrs ->> 'verb', '?') || ' ' || coalesce(v.attrs ->> 'resource', '?')
                       || coalesce('/' || (v.attrs ->> 'subresource'), '')
                       || coalesce(' in ' || (v.attrs ->> 'namespace'), '') AS request
                FROM unmatched v WHERE v.principal = u.principal AND v.ts / 3600000 = u.ts / 3600000
                GROUP BY request ORDER BY min(v.ts), min(v.anchor_id), request) d)
         || CASE WHEN count(*) = 1 THEN ') has' ELSE ') have' END || ' no matching harness record within '
         || (:gap_window_ms / 60000) || ' minutes' AS reason
FROM unmatched u
GROUP BY u.principal, u.ts / 3600000
