-- id: sensitive-read
-- title: Secret material was read
-- category: sensitive-read
-- severity: high
-- description: An action read secret material: a sensitive path (.env files, private keys, cloud and cluster
--   credentials, .netrc, Terraform state, /etc/shadow), an environment dump, a cloud metadata endpoint,
--   a secret manager, or Kubernetes secrets.
-- rationale: What an agent reads can end up in its context, its logs or a model provider; secrets read by an
--   agent must be treated as exposed.
-- remediation: Deny reads of secret material to agents (Claude deny rules such as Read(./.env), sandbox file
--   rules), inject secrets only where they are used, and rotate secrets that were read.
-- references: https://code.claude.com/docs/en/permissions
--   https://owasp.org/www-project-top-10-for-large-language-model-applications/
-- false_positives: Template files with a secret-looking name; adjust sensitive_paths in the baseline.
-- frameworks: soc2=CC6.1,CC6.7,C1.1; iso27001=A.5.15,A.5.17,A.8.3,A.8.12; nist80053=AC-3,AC-6,IA-5,SC-28
-- version: 4

WITH reads AS (
    SELECT a.*,
           ha_targets(a.targets, 'path', 'read,copy,upload', 'sensitive') AS secret_paths,
           -- Named secrets first; the command that read them only when nothing names what was read. A Kubernetes secret
           -- by its namespace too (`secret agents/db-credentials`, `secret agents/*` for a list): a baseline authorizes
           -- it by that, or by the namespace, never by a name that other namespaces' secrets share.
           CASE WHEN a.format = 'k8s-audit' AND a.attrs ->> 'resource' = 'secrets' AND a.attrs ->> 'namespace' IS NOT NULL
                     AND instr(a.targets, '"kind":"secret"')
                THEN 'secret ' || (a.attrs ->> 'namespace') || '/' || coalesce(a.attrs ->> 'name', '*')
                WHEN instr(a.targets, '"kind":"secret"') THEN
           -- (A kubectl read of a named secret in the one namespace it names: `secret agents/db-credentials` as well.)
           coalesce((SELECT group_concat(coalesce(
                                CASE WHEN (t.value ->> 'value' LIKE 'secret %' AND instr(t.value ->> 'value', '/') = 0
                                           OR t.value ->> 'value' LIKE 'secret/%' OR t.value ->> 'value' LIKE 'secrets/%'
                                           OR t.value ->> 'value' IN ('secret', 'secrets') AND t.value ->> 'op' IS NULL)
                                          AND instr(a.targets, '"kind":"namespace"')
                                          AND (SELECT count(*) FROM json_each(a.targets) n WHERE n.value ->> 'kind' = 'namespace') = 1
                                     THEN 'secret ' || (SELECT n.value ->> 'value' FROM json_each(a.targets) n
                                                        WHERE n.value ->> 'kind' = 'namespace' AND n.value ->> 'value' <> '*')
                                          || '/' || CASE WHEN t.value ->> 'value' IN ('secret', 'secrets') THEN '*'
                                                         ELSE substr(t.value ->> 'value', instr(t.value ->> 'value', ' ') + instr(t.value ->> 'value', '/') + 1) END
                                     END,
                                t.value ->> 'value'), ', ') FROM json_each(a.targets) t
                     WHERE t.value ->> 'kind' = 'secret'
                       AND t.value ->> 'value' NOT IN (SELECT c.value ->> 'value' FROM json_each(a.targets) c
                                                       WHERE c.value ->> 'kind' = 'command')),
                    (SELECT group_concat(t.value ->> 'value', ', ') FROM json_each(a.targets) t
                     WHERE t.value ->> 'kind' = 'secret')) END AS secrets
    FROM actions a
    WHERE (ha_has(a.classes, 'read') OR ha_has(a.classes, 'sensitive_read')) AND NOT a.blocked AND a.by_agent
      -- A request the API server answered with an error (404: no such secret) read nothing.
      AND NOT (a.format = 'k8s-audit' AND a.outcome_failure AND NOT a.outcome_success)
)
SELECT evidence, session_id, subject, ts, anchor_id, command, targets, agent, actor, principal, host, repo,
       coalesce(secret_paths, secrets) AS target,
       'Secret material was read' || coalesce(' (' || coalesce(secret_paths, secrets) || ')', '') || ': ' || action AS reason
FROM reads
WHERE secret_paths IS NOT NULL OR secrets IS NOT NULL
