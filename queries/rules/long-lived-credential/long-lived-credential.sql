-- id: long-lived-credential
-- title: A long-lived credential was minted or used
-- category: long-lived-credential
-- severity: medium
-- description: A token was minted with a lifetime over the maximum (1 hour by default; the kubelet's own 3607 s
--   excepted, which the API server may extend to a year: anyone else asking for 3607 s gets that too): kubectl create token --duration, a Kubernetes TokenRequest, sts get-session-token; a
--   static cloud key or service-account key was created; a legacy non-expiring service-account token
--   secret was created or used.
-- rationale: Credentials that outlive the task can be replayed long after it; agents should hold short-lived,
--   narrowly scoped tokens.
-- remediation: Mint tokens with short durations (kubectl create token --duration 10m), use workload identity
--   instead of static keys, and delete legacy token secrets.
-- references: https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume
--   https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
-- false_positives: Tokens for systems that cannot refresh; raise max_token_lifetime for them or authorize the principal
--   in the baseline.
-- frameworks: soc2=CC6.1,CC6.2; iso27001=A.5.17,A.8.5; nist80053=IA-5,AC-2
-- version: 3

-- One finding per credential an action minted (two tokens are two findings, whatever their names). A credential used
-- again and again (a legacy token a client logs in with for every request) is one finding per session, credential and
-- hour, citing every use: one standing condition, not one alert per request.
WITH hits AS (
    SELECT a.evidence, a.session_id, a.action_id, a.ts, a.anchor_id, a.command, a.agent, a.actor, a.principal, a.host, a.repo,
           t.value ->> 'value' AS target, t.value ->> 'op' AS op, CAST(t.value ->> 'lifetime_s' AS INTEGER) AS lifetime,
           CASE WHEN t.value ->> 'op' = 'use' AND a.window_ts IS NOT NULL
                THEN 'credential:use:' || (t.value ->> 'value') || ':' || (a.window_ts / 3600000)
                ELSE 'credential:' || a.subject || ':' || (t.value ->> 'value') END AS subject
    FROM actions a, json_each(a.targets) t
    WHERE NOT a.blocked AND a.by_agent AND instr(a.targets, '"kind":"credential"')
      AND t.value ->> 'kind' = 'credential'
      AND CAST(t.value ->> 'lifetime_s' AS INTEGER) > :max_token_lifetime
      AND NOT (CAST(t.value ->> 'lifetime_s' AS INTEGER) = 3607 AND coalesce(a.principal, '') LIKE 'system:node:%')
)
-- The first use (as stored) speaks for the hour: SQLite takes the bare columns from min()'s row.
SELECT group_concat(h.evidence) AS evidence, h.session_id, h.subject, h.ts, min(h.anchor_id) AS anchor_id,
       h.command, h.agent, h.actor, h.principal, h.host, h.repo, h.target,
       CASE WHEN h.lifetime > 3153600000
            THEN 'A credential that does not expire was ' || CASE WHEN h.op = 'use' THEN 'used' ELSE 'created' END
                 || CASE WHEN count(*) > 1 THEN ' ' || count(*) || ' times within the hour' ELSE '' END || ': ' || h.target
            ELSE 'A token lasting ' || ha_duration(h.lifetime) || ' (over the ' || ha_duration(:max_token_lifetime)
                 || ' maximum) was minted: ' || h.target END AS reason
FROM hits h
GROUP BY h.session_id, h.subject
