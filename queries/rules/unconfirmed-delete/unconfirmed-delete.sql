-- id: unconfirmed-delete
-- title: A delete ran without a person confirming it
-- category: unconfirmed-delete
-- severity: high
-- description: A delete action (rm, find -delete, git clean, branch and tag deletion, kubectl delete, helm
--   uninstall, terraform destroy, DROP/TRUNCATE/DELETE without WHERE, cloud deletions, apply_patch
--   Delete File) ran or may have ran, and no person confirmed that very call: no user decision for it,
--   no permission dialog answered for it, no approver.
-- rationale: Deletions are the least reversible actions an agent takes; a person should see each one before it
--   runs.
-- remediation: Require approval for deletes (a Claude ask rule such as Bash(rm *), a Codex policy that asks,
--   harness-v1 decision_source user), or authorize the specific paths or contexts in the baseline.
-- references: https://code.claude.com/docs/en/permissions
--   https://owasp.org/www-project-top-10-for-large-language-model-applications/
-- false_positives: Deleting build outputs in a throwaway workspace; authorize by repo or target in the baseline, or
--   waive with an owner and expiry.
-- frameworks: soc2=CC8.1,CC6.1; iso27001=A.8.10,A.8.32; nist80053=CM-3,CM-5,AC-6
-- version: 1

SELECT a.evidence, a.session_id, a.subject, a.ts, a.anchor_id, a.command, a.targets, a.agent, a.actor, a.principal, a.host, a.repo,
       (SELECT group_concat(t.value ->> 'value', ', ') FROM json_each(a.targets) t WHERE t.value ->> 'op' = 'delete') AS target,
       coalesce('Deleted ' || (SELECT group_concat(t.value ->> 'value', ', ') FROM json_each(a.targets) t WHERE t.value ->> 'op' = 'delete')
                  || ' without a person confirming it', 'A delete ran without a person confirming it')
         || CASE WHEN a.mode IS NOT NULL THEN ' (mode ' || coalesce(a.raw_mode, a.mode) || ')' ELSE '' END
         || ': ' || a.action AS reason
FROM actions a
WHERE ha_has(a.classes, 'delete') AND NOT a.blocked AND NOT a.confirmed AND a.by_agent
