-- id: schema-change
-- title: A database schema changed
-- category: schema-change
-- severity: high
-- description: DDL ran (CREATE, ALTER, DROP, TRUNCATE, RENAME of tables, columns, indexes) through psql, mysql,
--   sqlite3 or an MCP database tool, or a migration runner applied migrations (alembic, prisma, rails,
--   flyway, liquibase, Django, goose, atlas, knex, sequelize and others).
-- rationale: Schema changes are hard to undo and can lose data; they belong in reviewed migrations applied by the
--   release process.
-- remediation: Let agents write migrations, not apply them; apply migrations from the pipeline. Deny database DDL
--   to agent credentials.
-- references: https://owasp.org/www-project-top-10-for-large-language-model-applications/
-- false_positives: Local development databases; authorize by host or repo in the baseline.
-- frameworks: soc2=CC8.1; iso27001=A.8.32,A.8.9; nist80053=CM-3,CM-4,CM-5
-- version: 1

SELECT a.evidence, a.session_id, a.subject, a.ts, a.anchor_id, a.command, a.targets, a.agent, a.actor, a.principal, a.host, a.repo,
       (SELECT group_concat(t.value ->> 'value', ', ') FROM json_each(a.targets) t WHERE t.value ->> 'kind' IN ('table', 'database')) AS target,
       'The database schema changed: ' || a.action AS reason
FROM actions a
WHERE ha_has(a.classes, 'schema') AND NOT a.blocked AND a.by_agent
