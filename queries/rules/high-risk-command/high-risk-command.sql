-- id: high-risk-command
-- title: A high-risk command ran
-- category: high-risk-command
-- severity: high
-- description: A high-risk action ran outside any context the baseline authorizes: download-and-run (curl | sh),
--   sudo, chmod 777, raw device writes, mkfs, privileged containers, force-pushing a protected branch,
--   publishing packages, disabling security or logging, decoding and running data, reverse shells, writing a
--   persistence location (an SSH authorized key, a shell's startup file, a cron job), hiding the command that runs
--   (its name the output of another command or pieced together from variables, escape sequences, eval of built text,
--   nesting too deep to analyse).
-- rationale: These commands either hand the machine to code nobody reviewed, escalate privileges, or remove the
--   controls that would detect misuse.
-- remediation: Deny these commands to agents (Claude deny rules, Codex exec policy, a sandbox without sudo). Where
--   one is part of an approved workflow, authorize it in the baseline by agent, repo and target command.
-- references: https://attack.mitre.org/techniques/T1059/
--   https://attack.mitre.org/techniques/T1562/
-- false_positives: Installers that are piped into a shell by design in a disposable container; authorize by host or
--   repo.
-- frameworks: soc2=CC6.8,CC7.1; iso27001=A.8.7,A.8.19,A.8.2; nist80053=CM-7,CM-11,SI-3,AC-6
-- version: 2

SELECT a.evidence, a.session_id, a.subject, a.ts, a.anchor_id, a.command, a.targets, a.agent, a.actor, a.principal, a.host, a.repo,
       'A high-risk command ran: ' || a.action AS reason
FROM actions a
WHERE NOT a.blocked AND a.by_agent
  AND (ha_has(a.classes, 'high_risk')
       -- A force push to a branch the baseline protects (classification at ingest knew only the defaults).
       OR instr(a.targets, '"op":"force-push"') AND EXISTS (SELECT 1 FROM json_each(a.targets) t
                  WHERE t.value ->> 'kind' = 'branch' AND t.value ->> 'op' = 'force-push' AND ha_protected(t.value ->> 'value')))
