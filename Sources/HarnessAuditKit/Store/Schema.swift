/// The store's schema: an ordered list of named migrations, and the code that applies them.
public enum Schema {
    /// `PRAGMA application_id` of a harness-audit store ("HAud").
    public static let applicationID: Int64 = 0x4841_7564

    static func caseExpression(_ column: String, _ pairs: [(Int, String)]) -> String {
        "CASE \(column) " + pairs.map { "WHEN \($0.0) THEN '\($0.1)'" }.joined(separator: " ") + " END"
    }

    static func eventsView(withProduction: Bool) -> String {
        """
        CREATE VIEW events_v AS
        SELECT e.id, src.path AS file, e.line, e.record, e.source_id,
               \(caseExpression("e.format", LogFormat.allCases.map { ($0.rawValue, $0.id) })) AS format,
               e.ts, CASE WHEN e.ts IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', e.ts / 1000.0, 'unixepoch') END AS time,
               s.name AS session, e.seq,
               \(caseExpression("e.kind", EventKind.allCases.map { ($0.rawValue, $0.name) })) AS kind,
               n.value AS name, t.value AS tool, e.call_id,
               NULLIF(c.agent, '') AS agent, NULLIF(c.agent_version, '') AS agent_version,
               NULLIF(c.actor, '') AS actor, NULLIF(c.principal, '') AS principal, NULLIF(c.host, '') AS host,
               NULLIF(c.repo, '') AS repo, NULLIF(c.branch, '') AS branch, NULLIF(c.cwd, '') AS cwd,
               NULLIF(c.model, '') AS model,
               \(caseExpression("p.mode", PermissionMode.allCases.map { ($0.rawValue, $0.name) })) AS permission_mode,
               NULLIF(p.raw_mode, '') AS raw_mode, NULLIF(p.approval_policy, '') AS approval_policy,
               NULLIF(p.sandbox, '') AS sandbox,
               \(caseExpression("e.decision", Decision.allCases.map { ($0.rawValue, $0.name) })) AS decision,
               \(caseExpression("e.decision_source", DecisionSource.allCases.map { ($0.rawValue, $0.name) })) AS decision_source,
               e.approver, e.environment,
               \(caseExpression("e.outcome", Outcome.allCases.map { ($0.rawValue, $0.name) })) AS outcome,
               e.duration_ms, e.classes, e.command, e.targets, e.attrs, e.flags\(withProduction ? ", e.prod" : "")
        FROM events e
        JOIN sources src ON src.id = e.source_id
        JOIN sessions s ON s.id = e.session_id
        JOIN contexts c ON c.id = e.context_id
        LEFT JOIN policies p ON p.id = e.policy_id
        LEFT JOIN names n ON n.id = e.name_id
        LEFT JOIN names t ON t.id = e.tool_id
        """
    }

    static var migrations: [Migration] {
        [
            Migration(name: "0001_initial_store", sql: """
                CREATE TABLE sources(
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL,
                    size INTEGER,
                    mtime INTEGER,
                    sha256 TEXT,
                    fingerprint TEXT,
                    fingerprint_length INTEGER,
                    compression TEXT,
                    gzip_members INTEGER,
                    first_ts INTEGER,
                    last_ts INTEGER,
                    lines INTEGER NOT NULL DEFAULT 0,
                    event_lines INTEGER NOT NULL DEFAULT 0,
                    rejected_lines INTEGER NOT NULL DEFAULT 0,
                    blank_lines INTEGER NOT NULL DEFAULT 0,
                    events_added INTEGER NOT NULL DEFAULT 0,
                    events_duplicate INTEGER NOT NULL DEFAULT 0,
                    state TEXT NOT NULL CHECK (state IN ('ingesting', 'complete', 'partial')),
                    problem TEXT,
                    tail_open INTEGER NOT NULL DEFAULT 0,
                    tail_outcome TEXT,
                    owner TEXT,
                    heartbeat INTEGER,
                    started_at INTEGER NOT NULL,
                    finished_at INTEGER
                );
                CREATE INDEX sources_path ON sources(path);
                CREATE INDEX sources_size ON sources(size);

                CREATE TABLE sessions(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                CREATE TABLE names(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
                CREATE TABLE contexts(
                    id INTEGER PRIMARY KEY,
                    agent TEXT NOT NULL, agent_version TEXT NOT NULL, actor TEXT NOT NULL,
                    principal TEXT NOT NULL, host TEXT NOT NULL, repo TEXT NOT NULL, branch TEXT NOT NULL,
                    cwd TEXT NOT NULL, model TEXT NOT NULL,
                    UNIQUE(agent, agent_version, actor, principal, host, repo, branch, cwd, model)
                );
                CREATE TABLE policies(
                    id INTEGER PRIMARY KEY,
                    mode INTEGER,
                    raw_mode TEXT NOT NULL, approval_policy TEXT NOT NULL, sandbox TEXT NOT NULL,
                    writable_roots TEXT NOT NULL, network INTEGER NOT NULL,
                    UNIQUE(mode, raw_mode, approval_policy, sandbox, writable_roots, network)
                );

                CREATE TABLE events(
                    id INTEGER PRIMARY KEY,
                    source_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    record INTEGER NOT NULL,
                    format INTEGER NOT NULL,
                    ts INTEGER,
                    session_id INTEGER NOT NULL,
                    seq INTEGER,
                    kind INTEGER NOT NULL,
                    name_id INTEGER,
                    tool_id INTEGER,
                    call_id TEXT,
                    context_id INTEGER NOT NULL,
                    policy_id INTEGER,
                    decision INTEGER,
                    decision_source INTEGER,
                    approver TEXT,
                    environment TEXT,
                    outcome INTEGER,
                    duration_ms INTEGER,
                    classes INTEGER NOT NULL,
                    command TEXT,
                    targets TEXT,
                    attrs TEXT,
                    flags INTEGER NOT NULL,
                    ckey INTEGER NOT NULL,
                    prev_hash BLOB
                );
                CREATE UNIQUE INDEX events_key ON events(session_id, ckey);
                CREATE INDEX events_session_ts ON events(session_id, ts);

                CREATE TABLE raw_blocks(
                    id INTEGER PRIMARY KEY,
                    source_id INTEGER NOT NULL,
                    first_line INTEGER NOT NULL,
                    line_count INTEGER NOT NULL,
                    raw_size INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE UNIQUE INDEX raw_blocks_line ON raw_blocks(source_id, first_line);

                CREATE TABLE rejected(
                    id INTEGER PRIMARY KEY,
                    source_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    detail TEXT,
                    keys TEXT,
                    raw BLOB,
                    raw_length INTEGER NOT NULL,
                    raw_truncated INTEGER NOT NULL DEFAULT 0,
                    raw_sha256 TEXT,
                    UNIQUE(source_id, line)
                );

                \(eventsView(withProduction: false));

                CREATE VIEW rejected_v AS
                SELECT r.id, s.path AS file, r.line, r.reason, r.detail, r.keys, r.raw_length, r.raw_truncated,
                       r.raw_sha256, r.raw, r.source_id
                FROM rejected r JOIN sources s ON s.id = r.source_id;
                """),
            Migration(name: "0002_action_classification", sql: """
                ALTER TABLE events ADD COLUMN prod TEXT;
                CREATE INDEX events_classes ON events(classes, session_id) WHERE classes <> 0;
                CREATE TABLE action_classes(bit INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                INSERT INTO action_classes(bit, name) VALUES \(ActionClasses.all.map { "(\($0.0.rawValue), '\($0.1)')" }.joined(separator: ", "));
                CREATE VIEW event_classes AS
                SELECT e.id AS event_id, c.name AS class FROM events e JOIN action_classes c ON (e.classes & c.bit) <> 0
                WHERE e.classes <> 0;
                CREATE VIEW event_targets AS
                SELECT e.id AS event_id, j.value ->> 'kind' AS kind, j.value ->> 'value' AS value, j.value ->> 'op' AS op,
                       j.value ->> 'lifetime_s' AS lifetime_s
                FROM events e, json_each(e.targets) j WHERE e.targets IS NOT NULL;
                DROP VIEW events_v;
                \(eventsView(withProduction: true));
                CREATE VIEW test_runs AS
                SELECT c.id AS event_id, c.session_id, c.ts, c.call_id,
                       (SELECT t.value ->> 'value' FROM json_each(c.targets) t WHERE t.value ->> 'kind' = 'test_runner') AS runner,
                       coalesce((SELECT \(caseExpression("r.outcome", Outcome.allCases.map { ($0.rawValue, $0.name) }))
                                 FROM events r
                                 WHERE r.session_id = c.session_id AND r.call_id = c.call_id AND r.kind = \(EventKind.toolResult.rawValue)
                                   AND r.outcome IS NOT NULL
                                 ORDER BY r.id DESC LIMIT 1),
                                \(caseExpression("c.outcome", Outcome.allCases.map { ($0.rawValue, $0.name) }))) AS outcome
                FROM events c
                WHERE c.classes & \(ActionClasses.test.rawValue) <> 0 AND c.kind = \(EventKind.toolCall.rawValue);
                """),
            Migration(name: "0003_session_resolution", sql: """
                CREATE VIEW sessions_v AS
                SELECT s.id AS session_id, s.name AS session, count(*) AS events, min(e.ts) AS first_ts, max(e.ts) AS last_ts,
                       max(NULLIF(c.agent, '')) AS agent, max(NULLIF(c.agent_version, '')) AS agent_version,
                       max(NULLIF(c.actor, '')) AS actor, max(NULLIF(c.principal, '')) AS principal,
                       max(NULLIF(c.host, '')) AS host, max(NULLIF(c.repo, '')) AS repo, max(NULLIF(c.branch, '')) AS branch,
                       min(NULLIF(c.cwd, '')) AS cwd, group_concat(DISTINCT e.format) AS formats
                FROM sessions s JOIN events e ON e.session_id = s.id JOIN contexts c ON c.id = e.context_id
                GROUP BY s.id;
                """),
            // The classes index without the session: within a set of classes its entries follow the event id, so
            // a batch's inserts land at the end of each set instead of anywhere in it, and the pages they dirty no
            // longer grow with the store. Nothing read the session from it (rules read the action model).
            // Measured (README, Performance): SQLite alone storing the 4M benchmark rows 8.3 s → 6.8 s (2M: 3.6 s
            // → 3.5 s). The idempotency key stays on (session, content key) alone: a key that also held the time
            // was measured too, and would store an event twice when two copies disagree on its time (a Kubernetes
            // audit event whose copy lost `stageTimestamp`, or a line a later version dates differently).
            Migration(name: "0004_classes_index", sql: """
                DROP INDEX events_classes;
                CREATE INDEX events_classes ON events(classes) WHERE classes <> 0;
                """),
            // When each run of an ingest read a source from: the file's modification time then (else the time the run
            // read it), from its first line on. Lines with no timestamp anywhere in their session (Claude Code hook
            // payloads) are placed at the time of the run that read them, so a log that keeps growing does not move
            // the lines read earlier to its newest time. Sources ingested before this table have no mark: their
            // `mtime` places them, as before.
            Migration(name: "0005_source_marks", sql: """
                CREATE TABLE source_marks(
                    source_id INTEGER NOT NULL,
                    first_line INTEGER NOT NULL,
                    time INTEGER NOT NULL,
                    PRIMARY KEY (source_id, first_line)
                ) WITHOUT ROWID;
                """),
            // A harness-v1 line whose hash chain breaks where it stands in its file, while the store already holds its
            // event from another line (a byte-identical line replayed later, a copy of the log with lines removed or
            // reordered): the event is stored once, the break here, for `hash-chain-broken`.
            Migration(name: "0006_chain_breaks", sql: """
                CREATE TABLE chain_breaks(
                    source_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    session_id INTEGER NOT NULL,
                    seq INTEGER,
                    ts INTEGER,
                    ckey INTEGER NOT NULL,
                    PRIMARY KEY (source_id, line)
                ) WITHOUT ROWID;
                """),
        ]
    }

    /// Applies every migration not yet recorded. Safe to call from concurrent processes.
    static func migrate(_ db: Database) throws(HarnessAuditError) {
        let appID = try db.scalarInt("PRAGMA application_id") ?? 0
        let objectCount = try db.scalarInt("SELECT count(*) FROM sqlite_schema") ?? 0
        if appID != applicationID && !(appID == 0 && objectCount == 0) {
            throw .incompatibleDatabase(path: db.path, reason: "not a harness-audit database (it holds other tables)")
        }
        let known = Set(migrations.map(\.name))
        if appID == applicationID {
            let applied = try db.rows("SELECT name FROM schema_migrations").compactMap { $0.first?.text }
            if let unknown = applied.first(where: { !known.contains($0) }) {
                throw .incompatibleDatabase(
                    path: db.path, reason: "written by a newer harness-audit (migration \(unknown) is unknown to this version)")
            }
            if applied.count == migrations.count { return }
        }
        try db.transaction { () throws(HarnessAuditError) in
            try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations(name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)")
            let applied = Set(try db.rows("SELECT name FROM schema_migrations").compactMap { $0.first?.text })
            let record = try db.prepare("INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)")
            for migration in migrations where !applied.contains(migration.name) {
                try db.execute(migration.sql)
                try record.bind(1, migration.name)
                try record.bind(2, Clock.nowMillis())
                try record.run()
                record.reset()
            }
            try db.execute("PRAGMA application_id=\(applicationID)")
            try db.execute("PRAGMA user_version=\(migrations.count)")
        }
    }

    /// Checks a store opened read-only has the current schema.
    static func verify(_ db: Database) throws(HarnessAuditError) {
        let appID = try db.scalarInt("PRAGMA application_id") ?? 0
        guard appID == applicationID else {
            throw .incompatibleDatabase(path: db.path, reason: "not a harness-audit database")
        }
        let applied = Set(try db.rows("SELECT name FROM schema_migrations").compactMap { $0.first?.text })
        let known = Set(migrations.map(\.name))
        if !applied.isSubset(of: known) {
            throw .incompatibleDatabase(path: db.path, reason: "written by a newer harness-audit")
        }
        if applied != known {
            throw .incompatibleDatabase(
                path: db.path, reason: "written by an older harness-audit; run `harness-audit ingest` once to upgrade it")
        }
    }
}
