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
-- version: 4

-- One exec is often in both logs: the agent's call and the API server's request it made. The action model pairs
-- them (`k8s_made_by`: same kind of access, the pod the call names, its namespace and principal), and the check
-- reports a request's finding with its call's; the call's reason names what the audit log shows.
SELECT a.evidence, a.session_id, a.subject, a.ts, a.anchor_id, a.command, a.targets, a.agent, a.actor, a.principal, a.host, a.repo,
       coalesce(a.attrs ->> 'namespace' || '/' || (a.attrs ->> 'name'),
                (SELECT group_concat(t.value ->> 'value', ', ') FROM json_each(a.targets) t WHERE t.value ->> 'kind' = 'resource')) AS target,
       CASE WHEN a.format = 'k8s-audit'
            THEN a.principal || CASE a.attrs ->> 'subresource' WHEN 'portforward' THEN ' forwarded a port to pod '
                                                                WHEN 'attach' THEN ' attached to pod ' ELSE ' ran exec in pod ' END
                 || coalesce(a.attrs ->> 'namespace', '?') || '/' || coalesce(a.attrs ->> 'name', '?')
                 || coalesce(': ' || (a.attrs ->> 'exec_command'), '')
            ELSE CASE WHEN instr(a.targets, '"op":"port-forward"') THEN 'Forwarded a port into a pod: '
                      WHEN instr(a.targets, '"op":"attach"') THEN 'Attached to a process in a pod: '
                      WHEN instr(a.targets, '"op":"cp"') THEN 'Copied files to or from a pod: '
                      ELSE 'Ran a command inside a pod: ' END || a.action
                 || coalesce((SELECT '; the Kubernetes audit log shows '
                                     || group_concat(r.principal || ' in pod ' || coalesce(r.attrs ->> 'namespace', '?') || '/'
                                                     || coalesce(r.attrs ->> 'name', '?'), ', ') || ' allowed'
                              FROM k8s_made_by m JOIN all_actions r ON r.action_id = m.request_id
                              WHERE m.call_id = a.action_id AND NOT r.blocked
                                AND r.attrs ->> 'subresource' IN ('exec', 'attach', 'portforward')), '') END AS reason
FROM actions a
WHERE NOT a.blocked AND ha_has(a.classes, 'remote_exec')
  AND ((a.format = 'k8s-audit' AND a.attrs ->> 'resource' = 'pods'
        AND a.attrs ->> 'subresource' IN ('exec', 'attach', 'portforward') AND a.by_agent)
       OR (a.format <> 'k8s-audit'
           AND (EXISTS (SELECT 1 FROM json_each(a.targets) t
                        WHERE t.value ->> 'kind' = 'command'
                          AND t.value ->> 'value' IN ('kubectl exec', 'kubectl attach', 'kubectl port-forward', 'kubectl cp',
                                                       'kubectl debug', 'oc exec', 'oc rsh', 'oc attach', 'oc port-forward',
                                                       'oc rsync', 'oc cp', 'oc debug'))
                OR (a.tool LIKE 'mcp%' AND (a.tool LIKE '%kube%' OR a.tool LIKE '%k8s%'))
                -- A pod the call attaches to (`kubectl run tmp -it … -- sh`).
                OR instr(a.targets, '"op":"attach"')
                   AND EXISTS (SELECT 1 FROM json_each(a.targets) t
                               WHERE t.value ->> 'kind' = 'resource' AND t.value ->> 'value' LIKE 'pod %' AND t.value ->> 'op' = 'attach'))))
