-- id: denied-action-ran
-- title: An action ran although it was denied
-- category: approval-bypass
-- severity: critical
-- description: A permission decision denied the action, yet a result shows it ran (success or failure). The harness
--   did not enforce its own decision.
-- rationale: A denial that is not enforced gives the appearance of control without the control; it points to a
--   harness bug, a race, or a decision recorded after the fact.
-- remediation: Find why the harness ran a denied call (hook ordering, a second approval path, a retry without the
--   decision) and fix the harness; treat the action as unauthorized until reviewed.
-- references: https://code.claude.com/docs/en/hooks
-- false_positives: Harnesses that log a denial of a first attempt and a later approval under the same call id; log
--   distinct call ids for retries.
-- frameworks: soc2=CC6.1,CC8.1; iso27001=A.5.15,A.8.2; nist80053=AC-3,AC-6,CM-5
-- version: 1

SELECT a.evidence, a.session_id, a.subject, a.ts, a.anchor_id, a.command, a.targets, a.agent, a.actor, a.principal, a.host, a.repo,
       'Ran although its decision was deny: ' || a.action AS reason
FROM actions a
WHERE a.ran_despite_deny AND a.by_agent
