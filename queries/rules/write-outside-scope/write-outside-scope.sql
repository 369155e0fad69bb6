-- id: write-outside-scope
-- title: A file outside the workspace was written or deleted
-- category: write-outside-scope
-- severity: medium
-- description: A write or delete touched a path outside the session's workspace: the directory the session
--   started in (a later cd does not move the workspace), the harness's writable roots (Codex
--   writable_roots and workspace_roots) and the allowed write roots of the baseline (/tmp by default). Examples: /etc/hosts,
--   ~/.bashrc, ../other-repo/. When the log names no working directory (OTel exports), only what no
--   workspace can be: system directories, a home's hidden files, ~/..., and ../ paths.
-- rationale: An agent working on one repository has no business changing the system or other projects; such
--   writes are how persistence and cross-project damage happen.
-- remediation: Run agents in a sandbox limited to the workspace (Codex workspace-write, Claude sandbox) and deny
--   writes elsewhere; add legitimate locations to allowed_write_roots in the baseline.
-- references: https://developers.openai.com/codex/security
--   https://code.claude.com/docs/en/sandboxing
-- false_positives: Tool caches in the home directory (~/.cache, ~/.npm): add them to allowed_write_roots.
-- frameworks: soc2=CC6.1,CC6.3; iso27001=A.8.2,A.8.3,A.8.4; nist80053=AC-3,AC-6,CM-5
-- version: 3

WITH writes AS (
    SELECT a.*,
           ha_targets(a.targets, 'path', 'write,delete', 'outside', coalesce(a.session_cwd, a.cwd), a.writable_roots) AS outside
    FROM actions a
    WHERE (ha_has(a.classes, 'write') OR ha_has(a.classes, 'delete')) AND NOT a.blocked AND a.format <> 'k8s-audit'
      -- A file tool's call that failed (a patch whose lines were not found, EACCES) wrote nothing; a command line that
      -- failed may have written before it did.
      AND NOT (a.outcome_failure AND a.command IS NULL)
)
SELECT evidence, session_id, subject, ts, anchor_id, command, targets, agent, actor, principal, host, repo, outside AS target,
       CASE WHEN ha_targets(targets, 'path', 'write', 'outside', coalesce(session_cwd, cwd), writable_roots) IS NOT NULL
            THEN 'Wrote outside the workspace (' ELSE 'Deleted outside the workspace (' END
         || coalesce(session_cwd, cwd, 'no working directory logged') || '): ' || outside AS reason
FROM writes
WHERE outside IS NOT NULL
