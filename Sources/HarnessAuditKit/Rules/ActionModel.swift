/// The action model rules query. Its tables are built once per check into a private scratch database
/// (`ModelScratch`), which every rule connection attaches read-only and reads through temporary views
/// of the same names, so rules can run on several connections at once:
///
/// - `session_facts`: one row per session, its agent, actor, principal, host, repo and first
///   working directory resolved across all its sources;
/// - `all_actions`: one row per action, that is per session and call id (or per event when it has
///   none), whatever formats its events came from: its classes, targets and command, the policy
///   in force, and what happened to it (`confirmed`, `blocked`, `ran_despite_deny`, results);
///   `in_window` says whether it falls in the `--since`/`--until` window (`temp.model_window`);
/// - `actions`: the actions in the window, read through an index on their place in time, which is
///   what most rules look at; rules that need context (mode episodes, the tests before a push)
///   read `all_actions`, limited to the sessions with something to report in the window;
/// - `window_sessions`: the sessions with events in the window, for rules over `events`.
///
/// A model built for a time range (`ModelScratch.build`) folds only the sessions with
/// events in that range, whole, and the sessions with no timestamp at all: a check of one month of
/// a year-long store folds that month's sessions, not the year's. Without a range it folds every
/// session.
///
/// An action is `blocked` when it was denied, rejected by the user or refused by the platform
/// and no record of it shows it succeeding; such actions are attempts, not violations (DESIGN §4).
/// Outcomes count only from calls and results (a decision event that says "denied" is the
/// decision, not the end of the story): a denial with a successful result `ran_despite_deny`;
/// a denial with a failed result is taken as the harness reporting the refusal, so it stays
/// blocked. It is `confirmed` when a person approved that very call: a user decision, an
/// approver, or a Claude Code permission dialog for it that no hook or rule answered.
public enum ActionModel {
    static func k(_ kind: EventKind) -> Int { kind.rawValue }
    static func fact(_ fact: ActionAggregates.Fact) -> String { "(facts & \(fact.rawValue) <> 0)" }

    /// The condition that session `f` (a `session_facts` row) has events at or after `since` and before
    /// `until` (SQL expressions; NULL: unbounded).
    static func overlaps(since: String, until: String) -> String {
        "(\(since) IS NULL OR f.last_ts >= \(since)) AND (\(until) IS NULL OR f.first_ts < \(until))"
    }

    /// The sessions a model built for a range holds: those with events in it, and those with no timestamp
    /// at all (their actions are placed by their log file's time, known only per action).
    static let rangeSessions = """
        SELECT f.session_id FROM main.session_facts f
        WHERE f.first_ts IS NULL OR (\(overlaps(since: ":range_since", until: ":range_until")))
        """

    /// The same sessions before any facts are known (the streamed fold gathers them from the sessions it
    /// reads): each session's first and last times by two seeks in the events' (session, time) index, not a
    /// scan of the events. A session with no event up to the snapshot is taken as undated; the fold finds
    /// nothing of it.
    static let rangeSessionsBySeeks = """
        WITH f AS MATERIALIZED (
            SELECT s.id AS session_id,
                   (SELECT min(e.ts) FROM store.events e WHERE e.session_id = s.id AND e.id <= :snapshot) AS first_ts,
                   (SELECT max(e.ts) FROM store.events e WHERE e.session_id = s.id AND e.id <= :snapshot) AS last_ts
            FROM store.sessions s
        )
        SELECT f.session_id FROM f
        WHERE f.first_ts IS NULL OR (\(overlaps(since: ":range_since", until: ":range_until")))
        """

    /// The model's tables, empty, in `schema`.
    static func tableStatements(schema: String) -> [String] {
        [
            // `session_id` is the rowid: every action joins its session's facts by it.
            """
            CREATE TABLE \(schema).session_facts(
                session_id INTEGER PRIMARY KEY, session, first_ts, last_ts, agent, actor, principal, host, repo, branch, cwd)
            """,
            actionsTable(schema: schema),
            // The policy events of the sessions with actions that state no policy.
            "CREATE TABLE \(schema).policy_events(session_id, ts, id, policy_id)",
            // The time of each source (its modification time, else when it was ingested), for undated actions.
            "CREATE TABLE \(schema).source_times(id INTEGER PRIMARY KEY, time)",
            // When each ingest run read each source from (`source_marks` of the store).
            "CREATE TABLE \(schema).source_marks(source_id, first_line, time, PRIMARY KEY (source_id, first_line)) WITHOUT ROWID",
            // The Kubernetes requests a harness call made (`madeByStatement`).
            "CREATE TABLE \(schema).k8s_made_by(request_id INTEGER PRIMARY KEY, call_id)",
            // Kubernetes client calls none of whose records is dated (Claude Code hook payloads) in a session that is:
            // they took the session's first time to be placed, but only their log file's time bounds when they ran.
            "CREATE TABLE \(schema).k8s_call_times(action_id INTEGER PRIMARY KEY, file_ts)",
            // The events, not actions, that stated a bypass policy (a Codex turn context, a mode switch, a session's
            // configuration): the line that shows approvals were off, for the findings about what ran then.
            "CREATE TABLE \(schema).mode_statements(session_id, ts, id)",
        ]
    }

    /// The table of actions, empty, in `schema`.
    // `action_id` (the action's first event) is the rowid: rules join back to an action by it. The subject,
    // stable for fingerprints, is the call id, else the content key of the (one) event.
    static func actionsTable(schema: String) -> String {
        """
        CREATE TABLE \(schema).actions_raw(
            action_id INTEGER PRIMARY KEY, anchor_id, session_id, call_id, subject, ts, has_call, has_result, has_request,
            has_decision, tool_id, context_id, policy_id, classes, command, targets, prod, environment, format, attrs, flags,
            denied_decision, user_allowed, other_allowed, dialog_shown, approved, outcome_denied, outcome_success,
            outcome_failure, evidence, window_ts)
        """
    }

    /// An empty model on `db` (in memory, attached as `model0`) with its views: what rules are checked against
    /// when they load.
    static func createEmpty(_ db: Database) throws(HarnessAuditError) {
        try db.execute("ATTACH ':memory:' AS model0")
        for sql in tableStatements(schema: "model0") + viewStatements(schema: "model0") { try db.execute(sql) }
        try applyWindow(db, since: nil, until: nil)
    }

    // The statements that build the model run on a scratch database's own connection (`main` is the scratch
    // database, the store is attached read-only as `store`), in three stages: the sessions' facts, the fold
    // of events into actions (shared out among connections by session), and the rest. They read only events
    // up to `:snapshot`, the last event id the check's connection sees, so the model is that connection's
    // snapshot whatever an ingest commits meanwhile (events are only ever appended).

    /// The sessions' facts, by scanning the store's events: what a model folded by `GROUP BY`, or for
    /// a time range (whose sessions are chosen by these facts), starts from.
    static let factsStatement = """
        INSERT INTO main.session_facts
        SELECT s.id AS session_id, s.name AS session,
               (SELECT min(e.ts) FROM store.events e WHERE e.session_id = s.id AND e.id <= :snapshot) AS first_ts,
               (SELECT max(e.ts) FROM store.events e WHERE e.session_id = s.id AND e.id <= :snapshot) AS last_ts,
               max(NULLIF(c.agent, '')) AS agent, max(NULLIF(c.actor, '')) AS actor,
               max(NULLIF(c.principal, '')) AS principal, max(NULLIF(c.host, '')) AS host,
               max(NULLIF(c.repo, '')) AS repo, max(NULLIF(c.branch, '')) AS branch,
               (SELECT NULLIF(c2.cwd, '') FROM store.events e2 JOIN store.contexts c2 ON c2.id = e2.context_id
                WHERE e2.session_id = s.id AND e2.id <= :snapshot AND c2.cwd <> '' ORDER BY e2.ts, e2.id LIMIT 1) AS cwd
        -- The contexts a session used, not its events: a session has few; its first and last times
        -- come from the (session, time) index.
        FROM store.sessions s
        JOIN (SELECT DISTINCT e.session_id, e.context_id FROM store.events e WHERE e.id <= :snapshot) sc ON sc.session_id = s.id
        JOIN store.contexts c ON c.id = sc.context_id
        GROUP BY s.id
        """

    /// Where the streamed fold (`ActionFold`) leaves what its pass found about each session, on the
    /// builder's connection: the same facts as `factsStatement`, without scanning the events again.
    static let sessionScanTables = [
        "CREATE TEMP TABLE session_scan(session_id INTEGER PRIMARY KEY, first_ts, last_ts, cwd_context)",
        "CREATE TEMP TABLE session_contexts(session_id, context_id)",
    ]

    /// The sessions' facts from `temp.session_scan` and `temp.session_contexts`.
    static let factsFromScanStatement = """
        INSERT INTO main.session_facts
        SELECT s.id, s.name, t.first_ts, t.last_ts,
               max(NULLIF(c.agent, '')), max(NULLIF(c.actor, '')), max(NULLIF(c.principal, '')), max(NULLIF(c.host, '')),
               max(NULLIF(c.repo, '')), max(NULLIF(c.branch, '')),
               (SELECT NULLIF(w.cwd, '') FROM store.contexts w WHERE w.id = t.cwd_context)
        FROM temp.session_scan t
        JOIN store.sessions s ON s.id = t.session_id
        JOIN temp.session_contexts sc ON sc.session_id = t.session_id
        JOIN store.contexts c ON c.id = sc.context_id
        GROUP BY t.session_id
        """

    /// The sessions a restricted model folds (`rangeSessions`, bound to `:range_since`/`:range_until`),
    /// as the connection's `temp.range_sessions`, which the fold reads.
    static let rangeSessionsTable = "CREATE TEMP TABLE range_sessions(session_id INTEGER PRIMARY KEY)"

    /// The fold: one row per action into `main.actions_raw`, for the sessions whose id is `:part` modulo
    /// `:parts`: each connection folds its share of the sessions into a scratch file of its own, all at
    /// once, and a session's actions are all folded on one connection. `restricted`: only the sessions of
    /// `temp.range_sessions`.
    /// `fallback`: only the events with a call id of session `:session`, for a session the streamed fold
    /// (`ActionFold`) left to SQL.
    static func foldStatement(restricted: Bool, fallback: Bool = false) -> String {
        let call = k(.toolCall), result = k(.toolResult), request = k(.permissionRequest), decision = k(.permissionDecision)
        return """
            INSERT INTO main.actions_raw
            SELECT action_id, anchor_id, session_id, call_id, coalesce(call_id, printf('%016x', ckey)), ts,
                   \(fact(.hasCall)), \(fact(.hasResult)), \(fact(.hasRequest)), \(fact(.hasDecision)),
                   tool_id, context_id, policy_id, classes, command, targets, prod, environment, format, attrs, flags,
                   \(fact(.deniedDecision)), \(fact(.userAllowed)), \(fact(.otherAllowed)), \(fact(.dialogShown)),
                   \(fact(.approved)), \(fact(.outcomeDenied)), \(fact(.outcomeSuccess)), \(fact(.outcomeFailure)),
                   evidence, ts
            FROM (
                SELECT min(e.id) AS action_id,
                       coalesce(min(CASE WHEN e.kind = \(call) THEN e.id END), min(e.id)) AS anchor_id,
                       e.session_id AS session_id, max(e.call_id) AS call_id, min(e.ts) AS ts,
                       -- An action without a call id is one event: its content key makes its subject.
                       max(e.ckey) AS ckey,
                       ha_action_facts(e.kind, e.format, e.decision, e.decision_source, e.approver IS NOT NULL, e.outcome, e.flags) AS facts,
                       ha_prefer_call(e.kind = \(call), e.tool_id) AS tool_id,
                       ha_prefer_call(e.kind = \(call), e.context_id) AS context_id,
                       ha_prefer_call(e.kind = \(call), e.policy_id) AS policy_id,
                       ha_bitor(e.classes) AS classes,
                       coalesce(max(CASE WHEN e.kind = \(call) THEN e.command END), max(e.command)) AS command,
                       coalesce(max(CASE WHEN e.flags & \(EventFlags.resultTargets.rawValue) THEN e.targets END),
                                max(CASE WHEN e.kind = \(call) THEN e.targets END), max(e.targets)) AS targets,
                       max(e.prod) AS prod, max(e.environment) AS environment,
                       coalesce(max(CASE WHEN e.kind = \(call) THEN e.format END), min(e.format)) AS format,
                       coalesce(max(CASE WHEN e.kind = \(call) THEN e.attrs END), max(e.attrs)) AS attrs,
                       ha_bitor(e.flags) AS flags,
                       -- The order rows reach an aggregate in depends on the plan: the ids are sorted.
                       ha_sorted_ids(group_concat(e.id)) AS evidence
                FROM store.events e
                WHERE e.kind IN (\(call), \(result), \(request), \(decision)) AND e.id <= :snapshot AND e.session_id % :parts = :part\(restricted ? "\n  AND e.session_id IN (SELECT r.session_id FROM temp.range_sessions r)" : "")\(fallback ? "\n  AND e.session_id = :session AND e.call_id IS NOT NULL" : "")
                -- A call id is text and an event id an integer: they never group together.
                GROUP BY e.session_id, coalesce(e.call_id, e.id)
            )
            """
    }

    /// What follows the fold, once every share is in `main.actions_raw`. `windowIndex`: index the actions'
    /// place in time, for bounded windows.
    static func finishStatements(windowIndex: Bool) -> [String] {
        [
            // Events without a timestamp take their session's first time, so time windows can place them.
            """
            UPDATE main.actions_raw SET (ts, window_ts) =
                (SELECT f.first_ts, f.first_ts FROM main.session_facts f WHERE f.session_id = actions_raw.session_id)
            WHERE ts IS NULL
            """,
            // The time window: actions are placed by their time, else (no timestamp anywhere in the session, as
            // in Claude hook payloads as delivered) by their log file's modification time, else its ingest time.
            // Actions outside the window stay in `all_actions` as context (episodes, earlier tests, harness records).
            """
            UPDATE main.actions_raw SET window_ts =
                (SELECT coalesce((SELECT m.time FROM main.source_marks m WHERE m.source_id = e.source_id AND m.first_line <= e.line
                                  ORDER BY m.first_line DESC LIMIT 1), s.time)
                 FROM store.events e JOIN main.source_times s ON s.id = e.source_id
                 WHERE e.id = actions_raw.anchor_id)
            WHERE window_ts IS NULL
            """,
            // The policy in force when no event of the action states it: the session's latest before it (by
            // time, else by position for undated events), found by index seeks, never by scanning the session.
            // Only sessions with such actions need their policy events.
            """
            INSERT INTO main.policy_events SELECT e.session_id, e.ts, e.id, e.policy_id FROM store.events e
            WHERE e.policy_id IS NOT NULL AND e.id <= :snapshot
              AND e.session_id IN (SELECT a.session_id FROM main.actions_raw a WHERE a.policy_id IS NULL)
            """,
            "CREATE INDEX main.policy_events_ts ON policy_events(session_id, ts, id)",
            "CREATE INDEX main.policy_events_id ON policy_events(session_id, id)",
            """
            UPDATE main.actions_raw SET policy_id = coalesce(
                (SELECT p.policy_id FROM main.policy_events p
                 WHERE p.session_id = actions_raw.session_id AND actions_raw.ts IS NOT NULL AND p.ts <= actions_raw.ts
                 ORDER BY p.ts DESC, p.id DESC LIMIT 1),
                (SELECT p.policy_id FROM main.policy_events p
                 WHERE p.session_id = actions_raw.session_id AND p.id < actions_raw.anchor_id
                 ORDER BY p.id DESC LIMIT 1))
            WHERE policy_id IS NULL
            """,
            "CREATE INDEX main.actions_raw_session ON actions_raw(session_id, ts)",
            "CREATE INDEX main.actions_raw_anchor ON actions_raw(anchor_id)",
        ] + (windowIndex ? ["CREATE INDEX main.actions_raw_window ON actions_raw(window_ts)"] : [])
    }

    /// The kinds of event that state a policy without being actions (`mode_statements`).
    static let statementKinds: [EventKind] = [.sessionStart, .modeChange, .config, .prompt]
    /// The formats whose prompts state, on their own line, the mode they were sent in (a Claude Code transcript's
    /// `permissionMode`, a hook's or a `harness-v1` line's `permission_mode`); others' prompts carry the session's.
    static let promptStatingFormats: [LogFormat] = [.claudeTranscript, .claudeHook, .harnessV1]

    /// The policies that turn approvals off (their ids, for the fold's reader).
    static let bypassPolicies = "SELECT id FROM store.policies WHERE mode = \(PermissionMode.bypass.rawValue)"

    /// `mode_statements` from the events, for a model folded by `GROUP BY` (the streamed fold gathers them as it reads).
    static func modeStatementsStatement(restricted: Bool) -> String {
        """
        INSERT INTO main.mode_statements SELECT e.session_id, e.ts, e.id FROM store.events e
        WHERE e.kind IN (\(statementKinds.map { String($0.rawValue) }.joined(separator: ", "))) AND e.id <= :snapshot
          AND (e.kind <> \(EventKind.prompt.rawValue) OR e.format IN (\(promptStatingFormats.map { String($0.rawValue) }.joined(separator: ", "))))
          AND e.policy_id IN (\(bypassPolicies))\(restricted ? "\n  AND e.session_id IN (SELECT r.session_id FROM temp.range_sessions r)" : "")
        """
    }

    /// Whether the model holds a permission request that names no call: a Claude Code `PermissionRequest`
    /// hook carries no call id, and the decoder infers it only from a `PreToolUse` of the same input logged
    /// before it (`joinRequestsStatements`).
    static let hasLoneRequests = """
        SELECT 1 FROM main.actions_raw
        WHERE call_id IS NULL AND has_request AND NOT has_call AND NOT has_result AND tool_id IS NOT NULL LIMIT 1
        """

    /// Joins each permission request that names no call (`hasLoneRequests`) to the call it was about, when
    /// the hooks logged no `PreToolUse` to infer it from (a configuration that logs only `PermissionRequest`
    /// and `PostToolUse`): requests and calls of the same session, tool, command, targets and policy in force (a
    /// dialog shown in `default` mode is about no call run later in `bypassPermissions`) are paired in order, the
    /// k-th request with the k-th call, as parallel calls ask and run (a call's place is its last event: its result
    /// in the hooks' log); a pair stands only when the call has an event logged after the request. The call then
    /// holds the request's facts (the dialog a person answered: `confirmed`), its events in its evidence, and
    /// `call_id_inferred`; the request is no longer an action of its own, so its findings are the call's, once.
    /// An equi-join over window numbers: about linear in the requests and calls, whatever their number.
    static var joinRequestsStatements: [String] {
        let inferred = EventFlags.callIDInferred.rawValue
        // The largest of an action's event ids: the last of its evidence (ascending, comma-separated).
        let lastEvent = "CAST(substr(a.evidence, length(rtrim(a.evidence, '0123456789')) + 1) AS INTEGER)"
        return [
            // Keyed by the call: the update finds each call's request by it.
            "CREATE TEMP TABLE request_calls(call_id INTEGER PRIMARY KEY, request_id)",
            """
            INSERT OR IGNORE INTO temp.request_calls
            WITH lone0 AS MATERIALIZED (
                SELECT r.action_id, r.session_id, r.tool_id, coalesce(r.command, '') AS command, coalesce(r.targets, '') AS targets,
                       coalesce(r.policy_id, -1) AS policy_id
                FROM main.actions_raw r
                WHERE r.call_id IS NULL AND r.has_request AND NOT r.has_call AND NOT r.has_result AND r.tool_id IS NOT NULL
            ),
            lone AS MATERIALIZED (
                SELECT l.*, row_number() OVER (PARTITION BY l.session_id, l.tool_id, l.command, l.targets, l.policy_id ORDER BY l.action_id) AS k,
                       min(l.action_id) OVER (PARTITION BY l.session_id, l.tool_id, l.command, l.targets, l.policy_id) AS first_request
                FROM lone0 l
            ),
            firsts AS MATERIALIZED (SELECT DISTINCT session_id, tool_id, command, targets, policy_id, first_request FROM lone),
            calls0 AS MATERIALIZED (
                SELECT a.action_id, \(lastEvent) AS last_event, a.session_id, a.tool_id, coalesce(a.command, '') AS command,
                       coalesce(a.targets, '') AS targets, coalesce(a.policy_id, -1) AS policy_id
                FROM main.actions_raw a
                WHERE a.call_id IS NOT NULL AND NOT a.has_request AND a.session_id IN (SELECT l.session_id FROM lone0 l)
            ),
            -- Calls ended before the first dialog of their kind were not asked about (run with no dialog): not counted.
            calls AS MATERIALIZED (
                SELECT c.*, row_number() OVER (PARTITION BY c.session_id, c.tool_id, c.command, c.targets, c.policy_id
                                               ORDER BY c.last_event, c.action_id) AS k
                FROM calls0 c JOIN firsts f
                  ON f.session_id = c.session_id AND f.tool_id = c.tool_id AND f.command = c.command AND f.targets = c.targets
                     AND f.policy_id = c.policy_id
                WHERE c.last_event > f.first_request
            )
            SELECT c.action_id, l.action_id
            FROM lone l JOIN calls c
              -- (Equalities of plain columns, NULLs made values: SQLite indexes the calls for the join.)
              ON c.session_id = l.session_id AND c.tool_id = l.tool_id AND c.command = l.command AND c.targets = l.targets
                 AND c.policy_id = l.policy_id AND c.k = l.k
            WHERE c.last_event > l.action_id
            """,
            """
            UPDATE main.actions_raw SET
                (has_request, has_decision, denied_decision, user_allowed, other_allowed, dialog_shown, approved, classes, flags,
                 prod, environment, ts, window_ts, evidence) =
                (SELECT 1, actions_raw.has_decision OR r.has_decision, actions_raw.denied_decision OR r.denied_decision,
                        actions_raw.user_allowed OR r.user_allowed, actions_raw.other_allowed OR r.other_allowed,
                        actions_raw.dialog_shown OR r.dialog_shown, actions_raw.approved OR r.approved,
                        actions_raw.classes | r.classes, actions_raw.flags | r.flags | \(inferred),
                        coalesce(actions_raw.prod, r.prod), coalesce(actions_raw.environment, r.environment),
                        CASE WHEN actions_raw.ts IS NULL OR r.ts < actions_raw.ts THEN r.ts ELSE actions_raw.ts END,
                        CASE WHEN actions_raw.ts IS NULL OR r.ts < actions_raw.ts THEN r.ts ELSE actions_raw.ts END,
                        ha_sorted_ids(actions_raw.evidence || ',' || r.evidence)
                 FROM temp.request_calls j JOIN main.actions_raw r ON r.action_id = j.request_id
                 WHERE j.call_id = actions_raw.action_id)
            WHERE action_id IN (SELECT call_id FROM temp.request_calls)
            """,
            "DELETE FROM main.actions_raw WHERE action_id IN (SELECT request_id FROM temp.request_calls)",
            "DROP TABLE temp.request_calls",
        ]
    }

    /// How long after the harness call that made it a Kubernetes request may come (ms).
    static let madeByWindowMillis: Int64 = 600_000
    /// How long before the call a request may seem to come, the two clocks apart (ms).
    static let madeBySkewMillis: Int64 = 120_000

    /// Whether the model holds a session of the audit log (whose actions `madeByStatements` pairs with calls).
    static let hasAuditSessions = "SELECT 1 FROM main.session_facts WHERE session >= 'k8s:' AND session < 'k8s;' LIMIT 1"

    /// A Kubernetes principal that a harness log names as an agent's (`principal` of an acme-agent line) makes its
    /// audit-log session that agent's: its requests with no harness call are the agent's own, not a "kubernetes" agent's
    /// (a scorecard row, a change in the number of agents). One principal that several agents name takes the first name.
    static let auditSessionAgentsStatement = """
        UPDATE main.session_facts
        SET agent = (SELECT min(c.agent) FROM store.contexts c
                     WHERE c.principal = session_facts.principal AND c.agent NOT IN ('kubernetes', ''))
        WHERE session >= 'k8s:' AND session < 'k8s;' AND agent = 'kubernetes'
          AND EXISTS (SELECT 1 FROM store.contexts c WHERE c.principal = session_facts.principal AND c.agent NOT IN ('kubernetes', ''))
        """

    /// The harness call that made each Kubernetes request, when one did: one action logged twice, by the agent's
    /// harness and by the API server. Each request (with a time) takes the nearest call `madeByWindowMillis` before it
    /// of a Kubernetes client (kubectl, oc, helm, a Kubernetes MCP server) that could have made it: exec-like calls
    /// make exec, attach and port-forward requests (their own kind, to the pod they name, or to any pod of a workload)
    /// and others do not; a read (`kubectl get`) makes reads only, and only a delete deletes; a call that names its
    /// objects (`pod a`, not a kind, a file or a selector) names the request's; a call that names namespaces names the
    /// request's; a session that names its principal makes requests as that principal only. Then:
    /// - a request made by a call a person confirmed is confirmed;
    /// - a call whose requests the platform all refused, and that no record shows succeeding, was refused (DESIGN §4);
    /// - `CheckEngine.mergeKubernetesCopies` reports a finding on both as one, the call's.
    /// A request may seem to come up to `madeBySkewMillis` before its call (the clocks differ). A call with no time
    /// (Claude Code hook payloads; its log file's time says little of when a long log's line was written) made a
    /// request of its own kind (an exec execs, a delete deletes, a read reads, anything else creates or changes)
    /// whose object its command names, alone among the undated calls, in the month before its log file was last
    /// written, when they are each other's one candidate; a dated call is preferred. Dated calls are spread over the time buckets their requests can fall in, so each request is
    /// compared with the calls of its own bucket only; undated calls are matched by the words they name.
    static var madeByStatements: [String] {
        let k8s = LogFormat.k8sAudit.rawValue, window = madeByWindowMillis, skew = madeBySkewMillis, delete = ActionClasses.delete.rawValue
        let deploy = ActionClasses.deploy.rawValue, privilege = ActionClasses.privilege.rawValue, credential = ActionClasses.credential.rawValue
        let execCommands = "'kubectl exec', 'kubectl attach', 'kubectl port-forward', 'kubectl cp', 'kubectl debug', 'oc exec', "
            + "'oc rsh', 'oc attach', 'oc port-forward', 'oc rsync', 'oc cp', 'oc debug'"
        let readCommands = "'kubectl get', 'kubectl describe', 'kubectl logs', 'kubectl top', 'kubectl wait', 'kubectl events', "
            + "'kubectl explain', 'kubectl auth', 'kubectl api-resources', 'oc get', 'oc describe', 'oc logs'"
        let namespaced = K8sAuditDecoder.namespacedResources.sorted().map { "'\($0)'" }.joined(separator: ", ")
        return [
            """
            INSERT INTO main.k8s_call_times
            SELECT a.action_id,
                   (SELECT coalesce((SELECT m.time FROM main.source_marks m WHERE m.source_id = e.source_id AND m.first_line <= e.line
                                     ORDER BY m.first_line DESC LIMIT 1), t.time)
                    FROM store.events e JOIN main.source_times t ON t.id = e.source_id WHERE e.id = a.anchor_id)
            FROM main.actions_raw a
            WHERE a.format <> \(k8s) AND a.ts IS NOT NULL
              AND (instr(a.targets, '"kubectl') OR instr(a.targets, '"oc') OR instr(a.targets, '"helm') OR instr(a.targets, '"mcp server '))
              AND NOT EXISTS (SELECT 1 FROM json_each('[' || a.evidence || ']') j JOIN store.events e ON e.id = j.value
                              WHERE e.ts IS NOT NULL)
            """,
            """
            INSERT INTO main.k8s_made_by
            WITH clients AS MATERIALIZED (
                SELECT h.action_id, coalesce(h.file_ts, h.ts, h.window_ts) AS ts, h.file_ts IS NOT NULL OR h.ts IS NULL AS undated,
                       CASE WHEN h.file_ts IS NOT NULL THEN h.file_ts - 86400000 WHEN h.ts IS NULL THEN h.window_ts - 86400000
                            ELSE h.ts - \(skew) END AS lo,
                       coalesce(h.file_ts, h.ts, h.window_ts) + \(window) AS hi,
                       (SELECT NULLIF(c.principal, '') FROM store.contexts c WHERE c.id = h.context_id) AS principal,
                       (SELECT char(1) || group_concat(t.value ->> 'value', char(1)) || char(1) FROM json_each(h.targets) t
                        WHERE t.value ->> 'kind' = 'namespace' AND t.value ->> 'value' <> '*') AS namespaces,
                       EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'command' AND t.value ->> 'value' IN (\(execCommands)))
                       OR EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'resource' AND t.value ->> 'value' LIKE 'pod %'
                                  AND t.value ->> 'op' IN ('exec', 'attach', 'port-forward')) AS exec_like,
                       (SELECT CASE t.value ->> 'op' WHEN 'port-forward' THEN 'portforward' WHEN 'attach' THEN 'attach'
                                                     WHEN 'debug' THEN 'attach' ELSE 'exec' END
                        FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'resource' AND t.value ->> 'value' LIKE 'pod %'
                          AND t.value ->> 'op' IS NOT NULL LIMIT 1) AS access,
                       (SELECT substr(t.value ->> 'value', 5) FROM json_each(h.targets) t
                        WHERE t.value ->> 'kind' = 'resource' AND t.value ->> 'value' LIKE 'pod %' AND t.value ->> 'op' IS NOT NULL
                        LIMIT 1) AS pod,
                       -- Only reads (`kubectl get`): it makes reads only.
                       NOT EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'command'
                                     AND (t.value ->> 'value' LIKE 'kubectl%' OR t.value ->> 'value' LIKE 'oc%' OR t.value ->> 'value' LIKE 'helm%')
                                     AND t.value ->> 'value' NOT IN (\(readCommands)))
                       AND NOT instr(h.targets, '"mcp server ') AS reads_only,
                       (h.classes & \(delete)) <> 0 AS deletes, (h.classes & \(deploy)) <> 0 AS deploys,
                       (h.classes & \(privilege)) <> 0 AS grants, (h.classes & \(credential)) <> 0 AS mints,
                       -- What may make any request: manifests applied (`apply`, `create -f`, `replace`), helm and the like, a
                       -- Kubernetes MCP server, a proxy; not one that changes nothing in the cluster (`helm template`,
                       -- `kubectl apply --dry-run=client`).
                       instr(h.targets, '"mcp server ') > 0
                       OR ((h.classes & \(deploy | delete | privilege | credential)) <> 0 OR instr(coalesce(h.command, ''), 'proxy')
                           OR instr(coalesce(h.command, ''), '--dry-run=server'))
                          AND EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'command'
                                    AND (t.value ->> 'value' IN ('kubectl apply', 'kubectl replace', 'kubectl kustomize', 'kubectl proxy',
                                                                 'oc apply', 'oc replace', 'oc process', 'oc new-app', 'oc proxy')
                                         OR t.value ->> 'value' LIKE 'helm%'
                                         OR t.value ->> 'value' IN ('kubectl create', 'oc create')
                                            AND (instr(h.targets, '"kind":"path"') OR instr(coalesce(h.command, ''), ' -f')
                                                 OR instr(coalesce(h.command, ''), '--filename') OR instr(coalesce(h.command, ''), ' -k ')))) AS manifests,
                       -- Names secrets (`kubectl get secret db`, `get secrets`): a read of other objects reads none.
                       instr(h.targets, '"kind":"secret"') > 0 OR instr(lower(coalesce(h.command, '')), 'secret') > 0 AS reads_secrets,
                       -- Names the objects it acts on (`pod a`, `deployment/web`), not a kind, a file or a selector: then
                       -- a request's object is among the words of its command.
                       EXISTS (SELECT 1 FROM json_each(h.targets) t WHERE t.value ->> 'kind' = 'resource' AND t.value ->> 'op' IS NULL
                                 AND t.value ->> 'value' NOT LIKE 'mcp server %'
                                 AND (instr(t.value ->> 'value', ' ') OR instr(t.value ->> 'value', '/'))) AS named,
                       -- (Quotes, parentheses, semicolons and line ends too: `bash -lc 'kubectl delete pod web-1'`, `( … )`, a
                       -- here-document's manifest.)
                       ' ' || replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
                           coalesce(h.command, ''), '/', ' '), ':', ' '), '=', ' '), ',', ' '), '''', ' '), '"', ' '), '(', ' '), ')', ' '),
                           ';', ' '), char(10), ' '), char(13), ' ') || ' ' AS words,
                       -- (Without quotes: `sh -c 'echo hi'` ran `sh -c echo hi` as the request's URI records it.)
                       replace(replace(coalesce(h.command, ''), '''', ''), '"', '') AS command_text
                -- A call none of whose records is dated (Claude Code hook payloads) took its session's first time to be
                -- placed in windows; when it ran, only its log file's time bounds (`file_ts`): the latest it can have run.
                FROM (SELECT a.*, t.file_ts FROM main.actions_raw a LEFT JOIN main.k8s_call_times t ON t.action_id = a.action_id
                      WHERE a.format <> \(k8s)
                        AND (instr(a.targets, '"kubectl') OR instr(a.targets, '"oc') OR instr(a.targets, '"helm')
                             OR instr(a.targets, '"mcp server '))) h
                WHERE coalesce(h.ts, h.window_ts) IS NOT NULL
                  AND EXISTS (SELECT 1 FROM json_each(h.targets) t
                              WHERE t.value ->> 'kind' = 'command' AND (t.value ->> 'value' LIKE 'kubectl%' OR t.value ->> 'value' LIKE 'oc %'
                                                                        OR t.value ->> 'value' = 'oc' OR t.value ->> 'value' LIKE 'helm%')
                                 OR t.value ->> 'kind' = 'resource' AND (t.value ->> 'value' LIKE 'mcp server %kube%'
                                                                         OR t.value ->> 'value' LIKE 'mcp server %k8s%'))
            ),
            requests AS MATERIALIZED (
                SELECT a.action_id, a.ts, a.attrs ->> 'namespace' AS namespace, a.attrs ->> 'verb' AS verb,
                       coalesce(a.attrs ->> 'subresource', '') IN ('exec', 'attach', 'portforward') AS exec_like,
                       a.attrs ->> 'subresource' AS access, a.attrs ->> 'name' AS pod, a.attrs ->> 'resource' AS resource,
                       (SELECT NULLIF(c.principal, '') FROM store.contexts c WHERE c.id = a.context_id) AS principal,
                       a.attrs ->> 'impersonated_user' AS impersonated, a.attrs ->> 'exec_command' AS exec_command
                -- The audit log's sessions (`k8s:` and the user), read through the (session, time) index.
                FROM main.session_facts f JOIN main.actions_raw a ON a.session_id = f.session_id
                WHERE EXISTS (SELECT 1 FROM clients) AND f.session >= 'k8s:' AND f.session < 'k8s;' AND a.format = \(k8s) AND a.ts IS NOT NULL
            ),
            -- Each call in every time bucket its requests can fall in (a dated call's three, an undated one's day).
            steps(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM steps WHERE i <= (\(skew) + \(window)) / \(window) + 1),
            spans AS MATERIALIZED (
                SELECT c.*, c.lo / \(window) + s.i AS bucket FROM clients c JOIN steps s ON c.lo / \(window) + s.i <= c.hi / \(window)
                WHERE NOT c.undated
            ),
            -- A call with no time (Claude Code hook payloads carry none; its log file's time says little of when a long log's
            -- line was written) makes only what it names: the words of its command, matched with the requests' objects.
            named(action_id, word, rest) AS (
                SELECT c.action_id, '', substr(c.words, 2) FROM clients c
                WHERE c.undated AND (c.named OR c.pod IS NOT NULL AND NOT instr(c.pod, '/'))
                UNION ALL
                SELECT action_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM named WHERE instr(rest, ' ') > 0
            ),
            pairs AS (
                SELECT r.action_id AS request_id, r.ts AS request_ts, r.namespace AS r_namespace, r.verb, r.exec_like AS r_exec_like,
                       r.access AS r_access, r.pod AS r_pod, r.resource, r.principal AS r_principal, r.impersonated,
                       r.exec_command AS r_exec_command, c.*
                FROM requests r JOIN spans c ON c.bucket = r.ts / \(window)
                WHERE r.ts BETWEEN c.lo AND c.hi
                UNION
                -- An undated exec into a pod several undated calls name: the one whose command is the request's (`ls /app`,
                -- `cat /app/config.yaml`), as the request's URI records it.
                SELECT r.action_id, r.ts, r.namespace, r.verb, r.exec_like, r.access, r.pod, r.resource, r.principal, r.impersonated,
                       r.exec_command, c.*, NULL
                FROM clients c JOIN requests r ON r.exec_like AND r.exec_command IS NOT NULL AND length(r.exec_command) > 1
                                                AND instr(c.words, ' ' || r.pod || ' ') AND instr(c.command_text, r.exec_command)
                                                AND r.ts BETWEEN c.ts - 2678400000 AND c.ts + \(window)
                WHERE c.undated AND c.exec_like
                UNION
                SELECT r.action_id, r.ts, r.namespace, r.verb, r.exec_like, r.access, r.pod, r.resource, r.principal, r.impersonated,
                       r.exec_command, c.*, NULL
                -- Words one undated call alone names (a word several name makes no one candidate), ...
                FROM (SELECT word, min(action_id) AS action_id FROM (SELECT DISTINCT action_id, word FROM named WHERE word <> '')
                      GROUP BY word HAVING count(*) = 1) w
                JOIN clients c ON c.action_id = w.action_id
                -- ... the objects of requests made before its log file was last written (up to a month before it), ...
                JOIN requests r ON r.pod = w.word AND r.ts BETWEEN c.ts - 2678400000 AND c.ts + \(window)
                -- ... of the kind the call makes: an exec execs (and reads its pod), a delete deletes, a read reads, and
                -- anything else creates or changes.
                WHERE CASE WHEN c.exec_like THEN r.exec_like OR r.verb = 'get' AND r.resource = 'pods'
                           WHEN c.deletes THEN r.verb IN ('delete', 'deletecollection')
                           WHEN c.reads_only THEN r.verb IN ('get', 'list', 'watch')
                           ELSE r.verb IN ('create', 'update', 'patch') END
            )
            SELECT request_id, call_id FROM (
            SELECT request_id, call_id, r_access,
                   -- One `kubectl create token` mints one token: of the TokenRequests that chose the same call, the nearest
                   -- is its (another is a token minted otherwise). Other calls may repeat a request (`kubectl wait`,
                   -- `rollout restart` retried), so only tokens are matched one to one.
                   row_number() OVER (PARTITION BY call_id, resource, r_access, coalesce(r_pod, '') ORDER BY abs(ts - request_ts), request_id) AS per_call
            FROM (
                SELECT p.request_id, p.action_id AS call_id, p.undated, p.verb, p.r_exec_like, p.resource, p.r_pod, p.ts, p.request_ts,
                       p.r_access,
                       row_number() OVER (PARTITION BY p.request_id ORDER BY p.undated, abs(p.ts - p.request_ts), p.action_id) AS n,
                       count(*) OVER (PARTITION BY p.request_id) AS candidates,
                       -- The requests of one kind an undated call could have made: it is taken only for the one.
                       count(*) OVER (PARTITION BY p.action_id, p.verb, p.r_exec_like) AS made
                FROM pairs p
                -- An exec-like call makes exec-like requests, and reads the pod first (`kubectl run -it` creates it first, and
                -- with `--rm` removes it after).
                WHERE (p.exec_like = p.r_exec_like
                       OR p.exec_like AND p.resource = 'pods'
                          AND (p.verb IN ('get', 'list', 'watch') OR p.verb = 'create' AND p.deploys
                               OR p.verb = 'delete' AND instr(p.words, ' --rm ')))
                  -- A change makes changes of its kind: roles and bindings only an RBAC command, tokens only a token command,
                  -- secrets read only by a command that names secrets (manifests, helm and the like may make any).
                  AND (p.manifests OR p.grants
                       OR NOT (p.verb IN ('bind', 'escalate', 'impersonate')
                               OR p.verb IN ('create', 'update', 'patch')
                                  AND coalesce(p.resource, '') IN ('roles', 'rolebindings', 'clusterroles', 'clusterrolebindings')))
                  AND (p.manifests OR p.mints OR NOT (p.resource = 'serviceaccounts' AND p.r_access = 'token'))
                  AND (p.manifests OR p.reads_secrets OR NOT (p.resource = 'secrets' AND p.verb IN ('get', 'list', 'watch')))
                  -- An exec-like call makes its own kind of access to the pod it names (`pod/web-0` too), or to a pod of the
                  -- workload it names (`deploy/web`: `web-5d8f9c7b6-x2x9z`; `sts/db`: `db-0`). (A pod the line works out,
                  -- `$POD` or `$(kubectl get pod -o name)`, may be any.)
                  AND (NOT p.r_exec_like OR coalesce(p.access, 'exec') = p.r_access
                                            AND (p.pod IS NULL OR instr(p.pod, '$') OR instr(p.pod, '`') OR instr(p.pod, '{')
                                                 OR p.pod = p.r_pod
                                                 OR instr(p.pod, '/') AND CASE WHEN lower(substr(p.pod, 1, instr(p.pod, '/') - 1)) IN ('pod', 'pods', 'po')
                                                                               THEN substr(p.pod, instr(p.pod, '/') + 1) = p.r_pod
                                                                               -- The workload's name, then its pods' suffix: one or two
                                                                               -- parts (`-0`, `-x2x9z`, `-5d8f9c7b6-x2x9z`), not another
                                                                               -- workload's name (`web-api-…`).
                                                                               ELSE substr(p.r_pod, 1, length(p.pod) - instr(p.pod, '/') + 1)
                                                                                    = substr(p.pod, instr(p.pod, '/') + 1) || '-'
                                                                                AND length(substr(p.r_pod, length(p.pod) - instr(p.pod, '/') + 2))
                                                                                    - length(replace(substr(p.r_pod, length(p.pod) - instr(p.pod, '/') + 2), '-', '')) <= 1
                                                                           END))
                  -- An exec runs the command it names: a request that ran another (`sh -c 'pg_dumpall'` beside the call's `cat
                  -- VERSION`) is not the call's, however near.
                  AND (NOT p.r_exec_like OR p.r_exec_command IS NULL OR p.command_text NOT LIKE '% -- %'
                       OR instr(p.command_text, p.r_exec_command))
                  -- A read makes no change, and reads secrets only when it names them; only a delete deletes.
                  AND (NOT p.reads_only OR p.verb IN ('get', 'list', 'watch') AND (coalesce(p.resource, '') <> 'secrets' OR p.reads_secrets))
                  AND (p.deletes OR coalesce(p.verb, '') NOT IN ('delete', 'deletecollection')
                       OR p.verb = 'delete' AND p.resource = 'pods' AND instr(p.words, ' --rm '))
                  -- A call that names its objects makes requests for them: a request naming no object (a list of a whole
                  -- kind) is not its, but for a create (whose object the request body names).
                  AND (p.r_exec_like OR NOT p.named OR p.r_pod IS NULL AND p.verb = 'create' OR instr(p.words, ' ' || p.r_pod || ' '))
                  -- A harness principal names the account (`agent-runner`) or the user (`system:serviceaccount:ci:agent-runner`).
                  AND (p.principal IS NULL OR p.principal IN (p.r_principal, p.impersonated)
                       OR substr(p.r_principal, -length(p.principal) - 1) = ':' || p.principal
                       OR substr(p.impersonated, -length(p.principal) - 1) = ':' || p.principal)
                  -- A call that names namespaces acts in them: not across all namespaces on a namespaced kind.
                  AND (p.namespaces IS NULL OR instr(p.namespaces, char(1) || p.r_namespace || char(1))
                       OR p.r_namespace IS NULL AND coalesce(p.resource, '') NOT IN (\(namespaced))))
            -- The nearest dated call; a call with no time only when it and the request are each other's one candidate
            -- (several undated calls tie; a call that names an object deleted twice made at most one of the deletes).
            WHERE n = 1 AND (NOT undated OR candidates = 1 AND made = 1))
            WHERE per_call = 1 OR coalesce(r_access, '') <> 'token'
            """,
            """
            UPDATE main.actions_raw SET user_allowed = 1
            WHERE action_id IN (SELECT m.request_id FROM main.k8s_made_by m JOIN main.actions_raw c ON c.action_id = m.call_id
                                WHERE c.user_allowed OR c.approved OR (c.dialog_shown AND NOT c.other_allowed))
            """,
            // A call denied (by a person, a rule) whose request the API server carried out ran anyway: the audit log is
            // the record of it succeeding (`ran_despite_deny`, and no longer a blocked attempt), and its lines join the
            // call's evidence.
            // Only on firm pairing: a dated call, and a request a client made (kubectl, helm: not a controller reconciling the
            // same object) as an account (not a person: the person who refused the call may have done it themselves, from
            // their own kubeconfig), or by the principal the harness names.
            """
            UPDATE main.actions_raw SET outcome_success = 1, evidence = ha_sorted_ids(actions_raw.evidence || ',' || ran.evidence)
            FROM (SELECT m.call_id, group_concat(r.evidence) AS evidence
                  FROM main.k8s_made_by m JOIN main.actions_raw r ON r.action_id = m.request_id
                  WHERE coalesce(r.outcome_success, 0) AND NOT coalesce(r.outcome_denied OR r.denied_decision, 0)
                    AND ((instr(lower(coalesce(r.attrs ->> 'user_agent', '')), 'kubectl')
                          OR instr(lower(coalesce(r.attrs ->> 'user_agent', '')), 'helm'))
                         AND NOT EXISTS (SELECT 1 FROM store.contexts y WHERE y.id = r.context_id AND y.actor <> '')
                         OR EXISTS (SELECT 1 FROM main.actions_raw c JOIN store.contexts x ON x.id = c.context_id
                                    WHERE c.action_id = m.call_id AND x.principal <> ''))
                  GROUP BY m.call_id) AS ran
            WHERE ran.call_id = actions_raw.action_id
              AND (coalesce(actions_raw.denied_decision, 0) OR coalesce(actions_raw.outcome_denied, 0))
              AND NOT coalesce(actions_raw.outcome_success, 0) AND actions_raw.ts IS NOT NULL
            """,
            // A call whose requests the platform all refused did nothing in the cluster: refused, unless a record shows it
            // succeeding. The success of a line of cluster clients alone is no such record: a client refused fails (its
            // harness said otherwise, or the line hides the failure: `kubectl delete … || true`); a line that ran
            // something else did that (`… || true && rm -rf x` still deleted x).
            """
            UPDATE main.actions_raw SET outcome_denied = 1, outcome_success = 0
            WHERE (NOT coalesce(outcome_success, 0)
                   OR command IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM json_each(actions_raw.targets) t
                                  WHERE t.value ->> 'kind' = 'command' AND t.value ->> 'value' NOT LIKE 'kubectl%'
                                    AND t.value ->> 'value' NOT LIKE 'oc %' AND t.value ->> 'value' <> 'oc'
                                    AND t.value ->> 'value' NOT LIKE 'helm%' AND t.value ->> 'value' NOT LIKE 'mcp %'
                                    AND t.value ->> 'value' NOT IN ('true', ':', 'echo', 'printf', 'exit')))
              AND action_id IN (SELECT m.call_id FROM main.k8s_made_by m JOIN main.actions_raw r ON r.action_id = m.request_id
                                GROUP BY m.call_id HAVING min(coalesce(r.outcome_denied OR r.denied_decision, 0)) = 1)
            """,
            // A request a call made belongs to the call's place in time: a call just before midnight on the 31st whose
            // request the API server logged just after is one action of the month it was made in, not one in each.
            """
            UPDATE main.actions_raw SET window_ts = made.window_ts
            FROM (SELECT m.request_id, c.window_ts FROM main.k8s_made_by m JOIN main.actions_raw c ON c.action_id = m.call_id
                  WHERE c.window_ts IS NOT NULL) AS made
            WHERE made.request_id = actions_raw.action_id AND actions_raw.window_ts IS NOT made.window_ts
            """,
        ]
    }

    /// The temporary views and table a rule connection reads the model through, once the scratch database
    /// is attached to it as `schema`: `session_facts`, `actions_raw` and `policy_events` (the scratch
    /// database's tables), `all_actions`, `window_sessions` and `model_window`. Rebuilding replaces them.
    static func viewStatements(schema: String) -> [String] {
        let k8s = LogFormat.k8sAudit.rawValue
        return [
            "DROP VIEW IF EXISTS temp.actions",
            "DROP VIEW IF EXISTS temp.window_sessions",
            "DROP VIEW IF EXISTS temp.all_actions",
            "DROP VIEW IF EXISTS temp.session_facts",
            "DROP VIEW IF EXISTS temp.actions_raw",
            "DROP VIEW IF EXISTS temp.policy_events",
            "DROP VIEW IF EXISTS temp.k8s_made_by",
            "DROP VIEW IF EXISTS temp.k8s_call_times",
            "DROP VIEW IF EXISTS temp.mode_statements",
            "DROP TABLE IF EXISTS temp.model_window",
            // The time window `actions` holds (ms; NULL: unbounded), one row; `applyWindow` moves it. Its
            // columns have no type, like `window_ts`: a typed bound would stop SQLite using the index on it.
            "CREATE TEMP TABLE model_window(since, until)",
            "INSERT INTO temp.model_window VALUES (NULL, NULL)",
            "CREATE TEMP VIEW session_facts AS SELECT * FROM \(schema).session_facts",
            "CREATE TEMP VIEW actions_raw AS SELECT * FROM \(schema).actions_raw",
            "CREATE TEMP VIEW policy_events AS SELECT * FROM \(schema).policy_events",
            "CREATE TEMP VIEW k8s_made_by AS SELECT * FROM \(schema).k8s_made_by",
            "CREATE TEMP VIEW k8s_call_times AS SELECT * FROM \(schema).k8s_call_times",
            "CREATE TEMP VIEW mode_statements AS SELECT * FROM \(schema).mode_statements",
            """
            CREATE TEMP VIEW all_actions AS
            SELECT a.action_id, a.anchor_id, a.session_id, f.session, a.call_id, a.subject, a.ts,
                   n.value AS tool, a.command,
                   coalesce(a.command,
                            CASE WHEN a.format = \(k8s) THEN (a.attrs ->> 'verb') || ' ' || (SELECT t.value ->> 'value' FROM json_each(a.targets) t
                                                                                    WHERE t.value ->> 'kind' = 'resource' LIMIT 1) END,
                            n.value || ' ' || (SELECT t.value ->> 'value' FROM json_each(a.targets) t WHERE t.value ->> 'kind' = 'statement' LIMIT 1),
                            n.value || ' ' || (SELECT group_concat(x.v, ', ') FROM (
                                SELECT t.value ->> 'value' AS v FROM json_each(a.targets) t
                                WHERE t.value ->> 'kind' IN ('path', 'url', 'secret', 'table', 'credential', 'resource', 'host')
                                  AND NOT (t.value ->> 'value' LIKE 'mcp server %')
                                ORDER BY CASE t.value ->> 'kind' WHEN 'path' THEN 1 WHEN 'url' THEN 2 WHEN 'secret' THEN 3
                                         WHEN 'table' THEN 4 WHEN 'credential' THEN 5 WHEN 'resource' THEN 6 ELSE 7 END
                                LIMIT 3) x),
                            n.value) AS action,
                   a.classes, a.targets, a.prod, a.environment,
                   \(Schema.caseExpression("a.format", LogFormat.allCases.map { ($0.rawValue, $0.id) })) AS format,
                   a.attrs, a.flags,
                   -- An audit-log request is by "kubernetes" unless its session's principal is an agent's a harness log names.
                   CASE WHEN NULLIF(c.agent, '') IS NULL OR c.agent = 'kubernetes' THEN f.agent ELSE c.agent END AS agent,
                   coalesce(NULLIF(c.actor, ''), f.actor) AS actor,
                   coalesce(NULLIF(c.principal, ''), f.principal) AS principal, coalesce(NULLIF(c.host, ''), f.host) AS host,
                   coalesce(NULLIF(c.repo, ''), f.repo) AS repo, coalesce(NULLIF(c.branch, ''), f.branch) AS branch,
                   coalesce(NULLIF(c.cwd, ''), f.cwd) AS cwd, f.cwd AS session_cwd,
                   \(Schema.caseExpression("p.mode", PermissionMode.allCases.map { ($0.rawValue, $0.name) })) AS mode,
                   NULLIF(p.raw_mode, '') AS raw_mode, NULLIF(p.approval_policy, '') AS approval_policy,
                   NULLIF(p.sandbox, '') AS sandbox, NULLIF(p.writable_roots, '') AS writable_roots,
                   -- Kubernetes requests count only when made by (or as) an agent's principal; harness logs are agents' own.
                   -- Made as an agent's principal (a harness whose kubeconfig impersonates the agent's account, a proxy), but
                   -- not a question about one: an administrator checking an agent's rights (`kubectl auth can-i --as=…`,
                   -- a review the API server answers and never stores) is no agent's action.
                   CASE WHEN a.format = \(k8s)
                        THEN ha_agent_principal(coalesce(NULLIF(c.principal, ''), f.principal))
                             OR ha_agent_principal(a.attrs ->> 'impersonated_user')
                                AND NOT (a.attrs ->> 'verb' = 'create'
                                         AND coalesce(a.attrs ->> 'resource', '') IN (\(K8sAuditDecoder.reviewResources.sorted().map { "'\($0)'" }.joined(separator: ", "))))
                        ELSE 1 END AS by_agent,
                   a.has_call, a.has_result, a.has_request, a.has_decision,
                   -- A person confirmed this call: a user decision, an approver, or a Claude permission dialog for it
                   -- (unless a hook or a rule answered that dialog instead).
                   (a.user_allowed OR a.approved OR (a.dialog_shown AND NOT a.other_allowed)) AS confirmed,
                   -- For the figures: confirmed, and by a dialog only when the call is seen to have run afterwards (a dialog
                   -- with no result after it may have been answered "No": Claude Code logs nothing for a refusal).
                   (a.user_allowed OR a.approved OR (a.dialog_shown AND NOT a.other_allowed
                                                     AND (a.has_result OR a.outcome_success OR a.outcome_failure))) AS confirmed_known,
                   -- Blocked: denied or refused, and no record of the call shows it succeeding.
                   ((a.outcome_denied OR a.denied_decision) AND NOT a.outcome_success) AS blocked,
                   ((a.outcome_denied OR a.denied_decision) AND a.outcome_success) AS ran_despite_deny,
                   a.outcome_success, a.outcome_failure, a.evidence,
                   ((SELECT since FROM temp.model_window) IS NULL OR a.window_ts >= (SELECT since FROM temp.model_window))
                   AND ((SELECT until FROM temp.model_window) IS NULL OR a.window_ts < (SELECT until FROM temp.model_window)) AS in_window,
                   a.window_ts
            FROM \(schema).actions_raw a
            JOIN \(schema).session_facts f ON f.session_id = a.session_id
            LEFT JOIN main.names n ON n.id = a.tool_id
            LEFT JOIN main.contexts c ON c.id = a.context_id
            LEFT JOIN main.policies p ON p.id = a.policy_id
            """,
            // The sessions with events in the window (all of them when it is unbounded), and those with no time at
            // all (their events are placed by their log file's time, known only per line): rules over `events` that
            // order whole sessions read only these.
            """
            CREATE TEMP VIEW window_sessions AS SELECT f.session_id FROM \(schema).session_facts f
            WHERE f.first_ts IS NULL
               OR \(overlaps(since: "(SELECT since FROM temp.model_window)", until: "(SELECT until FROM temp.model_window)"))
            """,
        ]
    }

    /// Moves the time window of a built model: `actions` then holds the actions at or after
    /// `since` and before `until` (ms; nil: unbounded). A bounded window is read through an index
    /// on the actions' place in time (made the first time one is asked for), so a rule over a
    /// month of a year-long store reads that month's actions, not the year's.
    static func applyWindow(_ db: Database, since: Int64?, until: Int64?) throws(HarnessAuditError) {
        let update = try db.prepare("UPDATE temp.model_window SET since = ?, until = ?")
        try update.bind([.optional(since), .optional(until)])
        try update.run()
        var bounds: [String] = []
        if since != nil { bounds.append("window_ts >= (SELECT since FROM temp.model_window)") }
        if until != nil { bounds.append("window_ts < (SELECT until FROM temp.model_window)") }
        try db.execute("DROP VIEW IF EXISTS temp.actions")
        try db.execute("CREATE TEMP VIEW actions AS SELECT * FROM temp.all_actions"
                       + (bounds.isEmpty ? "" : " WHERE " + bounds.joined(separator: " AND ")))
    }

    /// The time range whose sessions `build` folds: nil bounds are unbounded; both nil, every session.
    public struct SessionRange: Sendable, Equatable {
        public var since: Int64?
        public var until: Int64?
        public static let all = SessionRange(since: nil, until: nil)

        public init(since: Int64?, until: Int64?) {
            self.since = since
            self.until = until
        }

        public var isAll: Bool { since == nil && until == nil }

        /// Whether every instant of `other` is in this range.
        public func contains(_ other: SessionRange) -> Bool {
            let lower = since.map { bound in other.since.map { $0 >= bound } ?? false } ?? true
            let upper = until.map { bound in other.until.map { $0 <= bound } ?? false } ?? true
            return lower && upper
        }
    }
}
