-- id: production-change
-- title: A deploy, delete or schema change touched production
-- category: production-deploy
-- severity: high
-- description: A deploy, delete or schema action ran against production: a kube context, namespace, cluster,
--   Terraform workspace, app, host, project or connection variable whose name is or contains a
--   production token (prod, production, prd, live) as a separate word, vercel --prod, a harness-v1
--   environment of production, or a Kubernetes mutation in such a namespace. An object's name (deployment
--   live-preview) counts only when the action names no place that is not production (-n dev).
-- rationale: Production changes by an agent need the same change control as a person's; an agent with production
--   access can take a service down in one command.
-- remediation: Give agents no production credentials; deploy through a pipeline with review. Where an agent must
--   deploy, authorize the exact context and agent in the baseline.
-- references: https://kubernetes.io/docs/reference/access-authn-authz/rbac/
--   https://developer.hashicorp.com/terraform/cloud-docs/workspaces
-- false_positives: Names that contain a production token but are not production (live-preview): add them to
--   production.not_production in the baseline.
-- frameworks: soc2=CC8.1,CC6.1; iso27001=A.8.31,A.8.32,A.8.9; nist80053=CM-3,CM-4,CM-5
-- version: 2

SELECT a.evidence, a.session_id, a.subject, a.ts, a.anchor_id, a.command, a.targets, a.agent, a.actor, a.principal, a.host, a.repo,
       -- Every production name the action touched (an authorization by target must cover them all); the
       -- environment label only when nothing more specific names production.
       coalesce((SELECT group_concat(t.value ->> 'kind' || ' ' || (t.value ->> 'value'), ', ') FROM json_each(a.targets) t
                 WHERE t.value ->> 'kind' IN ('context', 'namespace', 'cluster', 'workspace', 'project', 'app', 'host', 'database', 'remote', 'resource')
                   AND ha_production(t.value ->> 'value') IS NOT NULL
                   AND (t.value ->> 'kind' <> 'resource'
                        OR NOT EXISTS (SELECT 1 FROM json_each(a.targets) n
                                       WHERE n.value ->> 'kind' IN ('namespace', 'context', 'cluster') AND n.value ->> 'value' <> '*'
                                         AND ha_production(n.value ->> 'value') IS NULL))),
                CASE WHEN ha_production(a.environment) IS NOT NULL THEN 'environment ' || a.environment END,
                (SELECT group_concat(DISTINCT 'environment ' || (t.value ->> 'value')) FROM json_each(a.targets) t
                 WHERE t.value ->> 'kind' = 'environment' AND ha_production(t.value ->> 'value') IS NOT NULL)) AS target,
       'A ' || CASE WHEN ha_has(a.classes, 'schema') THEN 'schema change'
                    WHEN ha_has(a.classes, 'deploy') THEN 'deploy'
                    ELSE 'delete' END
         || ' ran against production: ' || a.action AS reason
FROM actions a
WHERE (ha_has(a.classes, 'deploy') OR ha_has(a.classes, 'delete') OR ha_has(a.classes, 'schema')) AND NOT a.blocked
  AND a.by_agent
  AND (ha_production(a.environment) IS NOT NULL
       OR EXISTS (SELECT 1 FROM json_each(a.targets) t
                  WHERE t.value ->> 'kind' IN ('context', 'namespace', 'cluster', 'workspace', 'project', 'app', 'host', 'database', 'remote', 'environment', 'resource')
                    AND ha_production(t.value ->> 'value') IS NOT NULL
                    -- An object's name (`deployment live-preview`) says nothing when the action names a place that is
                    -- not production (`-n dev`): the place decides.
                    AND (t.value ->> 'kind' <> 'resource'
                         OR NOT EXISTS (SELECT 1 FROM json_each(a.targets) n
                                        WHERE n.value ->> 'kind' IN ('namespace', 'context', 'cluster') AND n.value ->> 'value' <> '*'
                                          AND ha_production(n.value ->> 'value') IS NULL))))
