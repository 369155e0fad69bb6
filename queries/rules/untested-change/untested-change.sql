-- id: untested-change
-- title: A change was pushed or merged untested
-- category: untested-change
-- severity: medium
-- description: A push, pull-request creation or merge ran with no successful test run after the session's last
--   change to a file in its workspace (any file but temporary ones when the workspace is unknown; deleting what builds
--   and test runs generate, such as node_modules, dist or .pytest_cache, is no change). In a session
--   whose logs record no results (a PreToolUse-only hook), a test run counts, its outcome being unknowable.
-- rationale: Agents make plausible but wrong changes; a passing test run before a change leaves the machine is
--   the cheapest check there is.
-- remediation: Instruct agents to run the test suite before pushing (a Stop hook or a pre-push hook that runs
--   tests), and make CI required before merge.
-- references: https://code.claude.com/docs/en/hooks
-- false_positives: Documentation-only changes; test runners the classifier does not know (report them).
-- frameworks: soc2=CC8.1; iso27001=A.8.29,A.8.32; nist80053=CM-3(2),SA-11
-- version: 4

-- The session's history is read from all actions, so tests run before --since still count. Window
-- functions carry, to every action, the position of the session's last change and of its last
-- successful test before it: linear in the number of actions. Only sessions with a push or merge in the
-- window, and in them only changes, tests and pushes take part
-- (a byte test on the targets keeps the rest out before any JSON is read); the descriptions of the few
-- actions reported are looked up at the end.
WITH steps AS (
    SELECT a.action_id, a.session_id, a.ts, a.in_window,
           -- A change: a write or delete inside the workspace; where the working directory is unknown (OTel
           -- exports), any relative path or any path outside temporary and system pseudo-file locations.
           -- A file tool's call that failed ("String to replace not found") changed nothing; a command line that failed
           -- may have changed files before it did.
           (instr(a.targets, '"op":"write"') OR instr(a.targets, '"op":"delete"'))
           AND NOT (a.outcome_failure AND a.command IS NULL)
           AND ha_targets(a.targets, 'path', 'write,delete', 'workspace', coalesce(a.cwd, a.session_cwd)) IS NOT NULL AS is_change,
           -- A test that passed; or one whose outcome no log could show: a session that records no result at all (a
           -- hook on PreToolUse only) says what ran, not how it ended, and a failure there would be as unseen. (A CASE,
           -- so the session is looked up only for a test with no outcome: the same condition in a window cost 8x.)
           CASE WHEN NOT ha_has(a.classes, 'test') THEN 0
                WHEN a.outcome_success THEN 1
                WHEN a.has_result OR a.outcome_failure THEN 0
                ELSE NOT EXISTS (SELECT 1 FROM all_actions r WHERE r.session_id = a.session_id AND r.has_result) END AS is_test,
           (ha_has(a.classes, 'merge')
            OR (instr(a.targets, 'push"') OR instr(a.targets, ' create"') OR instr(a.targets, 'pull-request"'))
               AND EXISTS (SELECT 1 FROM json_each(a.targets) t
                           WHERE (t.value ->> 'kind' = 'command' AND t.value ->> 'value' IN ('git push', 'gh pr create', 'glab mr create'))
                              OR (t.value ->> 'kind' = 'branch' AND t.value ->> 'op' IN ('push', 'force-push', 'pull-request')))) AS is_push
    FROM all_actions a
    -- Only sessions that may have pushed or merged in the window are ordered (`+`: test the set while
    -- scanning; reading those sessions through an index is slower when the window holds most of them).
    WHERE +a.session_id IN (SELECT x.session_id FROM actions x
                            WHERE ha_has(x.classes, 'merge') OR instr(x.targets, 'push"') OR instr(x.targets, ' create"')
                               OR instr(x.targets, 'pull-request"'))
      AND NOT a.blocked AND a.format <> 'k8s-audit'
      AND (ha_has(a.classes, 'test') OR ha_has(a.classes, 'merge') OR instr(a.targets, '"op":"write"')
           OR instr(a.targets, '"op":"delete"') OR instr(a.targets, 'push"') OR instr(a.targets, ' create"')
           OR instr(a.targets, 'pull-request"'))
),
ordered AS MATERIALIZED (
    SELECT s.*, row_number() OVER (PARTITION BY s.session_id ORDER BY s.ts, s.action_id) AS n
    FROM steps s
    WHERE s.is_change OR s.is_test OR s.is_push
),
marked AS (
    SELECT o.*,
           max(CASE WHEN o.is_change THEN o.n END) OVER (PARTITION BY o.session_id ORDER BY o.n
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS change_n,
           max(CASE WHEN o.is_test THEN o.n END) OVER (PARTITION BY o.session_id ORDER BY o.n
                                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS test_n
    FROM ordered o
),
reported AS MATERIALIZED (
    SELECT p.action_id AS push_id, w.action_id AS change_id
    FROM marked p
    JOIN ordered w ON w.session_id = p.session_id AND w.n = p.change_n
    WHERE p.is_push AND p.in_window AND p.change_n IS NOT NULL AND NOT p.is_test
      AND (p.test_n IS NULL OR p.test_n < p.change_n)
)
SELECT p.evidence || ',' || w.evidence AS evidence, p.session_id, 'untested:' || p.subject AS subject, p.ts,
       p.anchor_id, p.command, p.targets, p.agent, p.actor, p.principal, p.host, p.repo,
       'Pushed or merged with no successful test run after the last change (' || w.action || '): ' || p.action AS reason
FROM reported r
JOIN all_actions p ON p.action_id = r.push_id
JOIN all_actions w ON w.action_id = r.change_id
