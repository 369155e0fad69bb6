-- id: merge-without-approval
-- title: Code was merged without a person confirming it
-- category: merge-without-approval
-- severity: high
-- description: A pull or merge request was merged (gh pr merge, glab mr merge, an MCP merge tool, the merge API),
--   or commits were pushed directly to a protected branch (main, master, release/* by default), and no
--   person confirmed that call.
-- rationale: Review before merge is the control that keeps unreviewed code out of the main line; an agent merging
--   on its own removes it.
-- remediation: Protect branches on the forge (required reviews, no direct pushes) and require approval for merge
--   commands in the harness.
-- references: https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches
-- false_positives: Repositories without branch protection by design (personal sandboxes): authorize by repo in the
--   baseline.
-- frameworks: soc2=CC8.1; iso27001=A.8.32,A.8.4,A.8.25; nist80053=CM-3,CM-5,SA-10
-- version: 1

SELECT a.evidence, a.session_id, a.subject, a.ts, a.anchor_id, a.command, a.targets, a.agent, a.actor, a.principal, a.host, a.repo,
       coalesce((SELECT group_concat(t.value ->> 'value', ', ') FROM json_each(a.targets) t WHERE t.value ->> 'op' = 'merge'),
                (SELECT group_concat('branch ' || (t.value ->> 'value'), ', ') FROM json_each(a.targets) t
                 WHERE t.value ->> 'kind' = 'branch' AND t.value ->> 'op' IN ('push', 'force-push') AND ha_protected(t.value ->> 'value'))) AS target,
       'Merged without a person confirming it: ' || a.action AS reason
FROM actions a
WHERE NOT a.blocked AND NOT a.confirmed AND a.format <> 'k8s-audit'
  AND (instr(a.targets, '"op":"merge"') OR instr(a.targets, 'push"'))
  AND (EXISTS (SELECT 1 FROM json_each(a.targets) t WHERE t.value ->> 'op' = 'merge')
       OR EXISTS (SELECT 1 FROM json_each(a.targets) t
                  WHERE t.value ->> 'kind' = 'branch' AND t.value ->> 'op' IN ('push', 'force-push') AND ha_protected(t.value ->> 'value')))
