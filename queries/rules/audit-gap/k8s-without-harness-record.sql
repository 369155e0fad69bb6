-- id: k8s-without-harness-record
-- title: Kubernetes requests by an agent have no harness record
-- category: audit-gap
-- severity: medium
-- description: An agent's principal made Kubernetes API requests, and no harness log in the store shows a kubectl,
--   helm, oc or Kubernetes tool call within 10 minutes of them. One finding per principal and hour.
-- rationale: When the cluster sees an agent act but the harness log does not, either the harness log is missing
--   or something else uses the agent's credentials.
-- remediation: Ingest the harness logs of the runners that hold the principal's credentials; if none exist, treat
--   the credentials as leaked and rotate them.
-- references: https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
-- false_positives: Controllers or jobs that legitimately use an agent's service account: give them their own account.
-- frameworks: soc2=CC7.2,CC4.1; iso27001=A.8.15,A.8.16,A.5.28; nist80053=AU-5,AU-6,AU-9,AU-12
-- version: 1

WITH requests AS (
    SELECT a.* FROM actions a
    WHERE a.format = 'k8s-audit' AND (a.has_call OR a.has_request) AND a.ts IS NOT NULL AND ha_agent_principal(a.principal)
),
unmatched AS (
    SELECT r.* FROM requests r
    WHERE NOT EXISTS (
        SELECT 1 FROM actions h
        WHERE h.format <> 'k8s-audit' AND h.ts BETWEEN r.ts - :gap_window_ms AND r.ts + :gap_window_ms
          AND (h.tool LIKE 'mcp%kube%' OR h.tool LIKE 'mcp%k8s%'
               OR EXISTS (SELECT 1 FROM json_each(h.targets) t
                          WHERE t.value ->> 'kind' = 'command'
                            AND (t.value ->> 'value' LIKE 'kubectl%' OR t.value ->> 'value' LIKE 'helm%'
                                 OR t.value ->> 'value' LIKE 'oc %' OR t.value ->> 'value' = 'oc'
                                 OR t.value ->> 'value' LIKE 'k9s%' OR t.value ->> 'value' LIKE 'argocd%'
                                 OR t.value ->> 'value' LIKE 'kustomize%' OR t.value ->> 'value' LIKE 'skaffold%'
                                 OR t.value ->> 'value' LIKE 'helmfile%'))))
)
SELECT group_concat(u.evidence) AS evidence, min(u.session_id) AS session_id,
       'k8s-gap:' || u.principal || ':' || (u.ts / 3600000) AS subject, min(u.ts) AS ts, min(u.anchor_id) AS anchor_id,
       u.principal AS principal, u.principal AS target,
       count(*) || CASE WHEN count(*) = 1 THEN ' Kubernetes request' ELSE ' Kubernetes requests' END || ' by the agent principal '
         || u.principal || ' have no matching harness record within ' || (:gap_window_ms / 60000) || ' minutes' AS reason
FROM unmatched u
GROUP BY u.principal, u.ts / 3600000
