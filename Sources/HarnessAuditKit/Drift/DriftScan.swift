/// One pass over the store for `DriftAnalyzer`: the grants agents' configurations show, then
/// every action that ran before the current period ends, folded into capability usage per
/// scope and period, last uses, written paths and session settings.
struct DriftScan {
    /// How one capability was used by one scope in one period.
    struct Accumulator {
        var actions = 0
        var flagged = 0
        /// Flagged actions in which this was the only command family (a pipeline's other programs, `sort` in
        /// `env | sort`, share its verdict without being why).
        var flaggedAlone = 0
        var sessions = Set<Int64>()
        var firstSessions: [String] = []
        /// Events of the first action of each first session: the evidence.
        var evidence: [Int64] = []
        var firstTs: Int64?
        var lastTs: Int64?
        var classes: ActionClasses = []
        var firstCommand: String?
        /// A host some action reached with Claude Code's WebFetch tool (not only with `curl` or `git`).
        var fetched = false
        /// A command family some action ran through Claude Code's shell tools (not only an API request in an audit log).
        var shelled = false
    }

    /// A grant seen in the logs.
    struct GrantRecord {
        var firstTs: Int64?
        var session: String
        var eventID: Int64
        var sessions = Set<Int64>()
        var inTracking = false
        /// Kept in settings files until someone removes it (a Claude Code rule or directory saved
        /// to local, project or user settings), so it is judged even when granted before the
        /// tracking period.
        var persistent = false
        /// Stated by the harness's configuration (harness-v1 `permissions`), not accepted by a person in a dialog.
        var configured = false
    }

    /// One session's settings in one period, for configuration drift.
    struct SessionRecord {
        var name: String
        var scope: CapabilityScope
        var firstTs: Int64?
        var settings: [CapabilityKind: (value: String, eventID: Int64)] = [:]
        var grants: [AgentGrant: Int64] = [:]
    }

    let options: DriftOptions
    let current: ReportPeriod
    let previous: ReportPeriod
    let baseline: Baseline
    let trackingSince: Int64
    let flaggedEvents: Set<Int64>
    let extractor: CapabilityExtractor
    var actionCount = [0, 0]
    /// Actions of each period that raised a `check` finding.
    var flaggedCount = [0, 0]
    /// Usage per period (0 current, 1 previous), scope and capability.
    var usage: [[CapabilityScope: [Capability: Accumulator]]] = [[:], [:]]
    /// The last time (before the current period ends) each scope used each capability.
    var lastUse: [CapabilityScope: [Capability: Int64]] = [:]
    /// The last time each scope wrote or deleted each path.
    var lastWrite: [CapabilityScope: [String: Int64]] = [:]
    var grants: [AgentGrant: GrantRecord] = [:]
    var grantLastUse: [AgentGrant: Int64] = [:]
    /// Claude Code rules and directories per scope, tested against each action.
    var ruleGrants: [CapabilityScope: [(AgentGrant, ClaudePermissionRule?)]] = [:]
    /// Session settings per period.
    var sessions: [[Int64: SessionRecord]] = [[:], [:]]
    /// What each agent, and the whole fleet, used in the previous period: what a scope new this
    /// period is compared with (folded once, after the scan).
    var previousByAgent: [String: Set<Capability>] = [:]
    /// The risky classes each command family has on its own (`kubectl exec`: remote exec; `ls`: none), worked out once.
    let familyClasses = BoundedMemo<ActionClasses>(capacity: 10_000)
    var previousFleet = Set<Capability>()

    init(options: DriftOptions, trackingSince: Int64, flaggedEvents: Set<Int64>) {
        self.options = options
        current = options.current!
        previous = options.previous!
        baseline = options.check.baseline
        self.trackingSince = trackingSince
        self.flaggedEvents = flaggedEvents
        extractor = CapabilityExtractor(policy: options.check.baseline.classificationPolicy)
    }

    var until: Int64 { current.until }

    /// The events of the actions `check` reported (its findings and waived ones, not the log's own
    /// gaps): their capabilities are `check`'s to report, and no baseline should allow them.
    /// Built-in rules whose findings are about a change in the session (its permission mode), not about the actions
    /// whose lines show the change: the call before a switch to bypass was not reported.
    static let aboutTheSession: Set<String> = ["mode-loosened-to-bypass"]

    static func flaggedEvents(_ results: [CheckResult]) -> Set<Int64> {
        var events = Set<Int64>()
        for result in results {
            for finding in result.findings + result.waived
            where finding.category != "audit-gap" && !DriftScan.aboutTheSession.contains(finding.rule) {
                if let anchor = finding.anchorEventID { events.insert(anchor) }
                for evidence in finding.evidence { if let id = evidence.eventID { events.insert(id) } }
                events.formUnion(finding.sameLineEventIDs)
            }
        }
        return events
    }

    /// The last time a write landed under `root` (`~/…` resolved against each written path's home),
    /// in `paths` (path → last write).
    static func lastWrite(in paths: [String: Int64], under root: String) -> Int64? {
        var last: Int64?
        for (path, ts) in paths {
            let absolute = root.hasPrefix("~") ? PathNormalizer.absolute(root, cwd: nil, home: PathNormalizer.inferHome(from: path)) : root
            if absolute.hasPrefix("/"), PathNormalizer.isInside(path, rootPattern: absolute) { last = max(last ?? ts, ts) }
        }
        return last
    }

    /// The same over every scope.
    func lastWrite(under root: String) -> Int64? {
        lastWrite.values.compactMap { DriftScan.lastWrite(in: $0, under: root) }.max()
    }

    /// 0 for the current period, 1 for the previous one, nil otherwise.
    func period(_ ts: Int64?) -> Int? {
        guard let ts else { return nil }
        if ts >= current.since && ts < current.until { return 0 }
        if ts >= previous.since && ts < previous.until { return 1 }
        return nil
    }

    // MARK: Grants

    /// Decisions that grant more than the one call: Claude Code "Yes, don't ask again", Codex
    /// "approve for this session", Gemini CLI "always allow".
    static let permanentSources = ["user_permanent"]
    static let permanentDecisions = ["approved_for_session", "approvedforsession", "proceed_always", "proceed_always_server",
                                     "proceed_always_tool", "allow_always", "always_allow"]

    mutating func loadGrants(_ db: Database) throws(HarnessAuditError) {
        // Claude Code permission suggestions the user accepted for good, and MCP servers configured (Codex
        // `conversation_starts`): one pass over the events for both.
        var bindings: [SQLValue] = [.integer(Int64(EventKind.permissionRequest.rawValue))]
        bindings += (DriftScan.permanentSources + DriftScan.permanentDecisions).map { .text($0) }
        bindings.append(.integer(until))
        let sourcesList = DriftScan.permanentSources.map { _ in "?" }.joined(separator: ", ")
        let decisionsList = DriftScan.permanentDecisions.map { _ in "?" }.joined(separator: ", ")
        var servers: [(row: [SQLValue], list: String)] = []
        for row in try db.rows("""
            SELECT r.id, r.session_id, f.session, r.ts, f.agent, f.repo, f.principal, f.cwd,
                   CASE WHEN r.kind = ? AND instr(r.attrs, 'permission_suggestions') > 0 AND r.call_id IS NOT NULL
                             AND EXISTS (SELECT 1 FROM events d WHERE d.session_id = r.session_id AND d.call_id = r.call_id
                                         AND (d.attrs ->> 'source_raw' IN (\(sourcesList))
                                              OR lower(d.attrs ->> 'decision_raw') IN (\(decisionsList))))
                        THEN r.attrs ->> 'permission_suggestions' END,
                   CASE WHEN instr(r.attrs, 'mcp_servers') > 0 THEN r.attrs ->> 'mcp_servers' END,
                   CASE WHEN instr(r.attrs, 'allow_rules') > 0 THEN r.attrs -> 'allow_rules' END,
                   CASE WHEN instr(r.attrs, 'added_directories') > 0 THEN r.attrs -> 'added_directories' END
            FROM events r JOIN temp.session_facts f ON f.session_id = r.session_id
            WHERE (instr(r.attrs, 'permission_suggestions') > 0 OR instr(r.attrs, 'mcp_servers') > 0
                   OR instr(r.attrs, 'allow_rules') > 0 OR instr(r.attrs, 'added_directories') > 0)
              AND coalesce(r.ts, f.first_ts, 0) < ?
            """, bindings) {
            guard let eventID = row[0].int64, let sessionID = row[1].int64 else { continue }
            if let list = row[9].text { servers.append((row, list)) }
            let scope = CapabilityScope(agent: row[4].text, repo: row[5].text ?? row[7].text, principal: row[6].text)
            var found = row[8].text.map(DriftScan.suggestions) ?? []
            // A harness's configuration (harness-v1 `permissions`): allow rules and directories kept in its settings.
            found += DriftScan.strings(row[10].text).map { (AgentGrant.Kind.allowRule, ClaudePermissionRule($0)?.text ?? $0, "settings") }
            found += DriftScan.strings(row[11].text).map { (AgentGrant.Kind.directory, $0, "settings") }
            for (kind, value, destination) in found {
                let grant = AgentGrant(scope: scope, kind: kind, value: value)
                register(grant, ts: row[3].int64, eventID: eventID, sessionID: sessionID, session: row[2].text ?? "")
                if destination != "session" { grants[grant]?.persistent = true }
                if destination == "settings" { grants[grant]?.configured = true }
            }
        }
        // Approval policies, sandboxes and writable roots in force (Codex and others); the events are read only
        // when some policy grants anything.
        let granting = "p.approval_policy <> '' OR p.sandbox <> '' OR p.writable_roots <> ''"
        let anyGranting = try db.rows("SELECT EXISTS (SELECT 1 FROM policies p WHERE \(granting))").first?.first?.int64 == 1
        for row in try anyGranting ? db.rows("""
            SELECT e.session_id, f.session, min(e.id), min(e.ts), p.approval_policy, p.sandbox, p.writable_roots,
                   f.agent, f.repo, f.principal, f.cwd
            FROM events e JOIN policies p ON p.id = e.policy_id JOIN temp.session_facts f ON f.session_id = e.session_id
            WHERE (\(granting)) AND coalesce(e.ts, f.first_ts, 0) < ?
            GROUP BY e.session_id, e.policy_id
            """, [.integer(until)]) : [] {
            guard let sessionID = row[0].int64, let eventID = row[2].int64 else { continue }
            let scope = CapabilityScope(agent: row[7].text, repo: row[8].text ?? row[10].text, principal: row[9].text)
            let name = row[1].text ?? ""
            var found: [AgentGrant] = []
            if let approval = row[4].text, !approval.isEmpty, AgentGrant.isGrantingApprovalPolicy(approval) {
                found.append(AgentGrant(scope: scope, kind: .approvalPolicy, value: approval))
            }
            if let sandbox = row[5].text, !sandbox.isEmpty, AgentGrant.isGrantingSandbox(sandbox) {
                found.append(AgentGrant(scope: scope, kind: .sandbox, value: sandbox))
            }
            let cwd = row[10].text
            for root in (row[6].text ?? "").split(separator: "\n").map(String.init) where !root.isEmpty && root != cwd {
                if let cwd, PathNormalizer.isInside(cwd, root: root) { continue }   // the workspace itself, or a parent of it
                found.append(AgentGrant(scope: scope, kind: .writableRoot, value: root))
            }
            for grant in found { register(grant, ts: row[3].int64, eventID: eventID, sessionID: sessionID, session: name) }
        }
        for (row, list) in servers {
            guard let eventID = row[0].int64, let sessionID = row[1].int64 else { continue }
            let scope = CapabilityScope(agent: row[4].text, repo: row[5].text ?? row[7].text, principal: row[6].text)
            for server in list.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) where !server.isEmpty {
                register(AgentGrant(scope: scope, kind: .mcpServer, value: server), ts: row[3].int64, eventID: eventID,
                         sessionID: sessionID, session: row[2].text ?? "")
            }
        }
    }

    mutating func register(_ grant: AgentGrant, ts: Int64?, eventID: Int64, sessionID: Int64, session: String) {
        if grants[grant] == nil, grant.kind == .allowRule || grant.kind == .directory {
            ruleGrants[grant.scope, default: []].append((grant, grant.kind == .allowRule ? ClaudePermissionRule(grant.value) : nil))
        }
        let inTracking = ts.map { $0 >= trackingSince && $0 < until } ?? true
        // Updated in place, so its set of sessions is not copied for every grant event.
        DriftScan.update(&grants[grant, default: GrantRecord(firstTs: ts, session: session, eventID: eventID)],
                         ts: ts, eventID: eventID, sessionID: sessionID, session: session, inTracking: inTracking)
        if grant.kind == .allowRule || grant.kind == .directory || grant.kind == .writableRoot, let index = period(ts) {
            sessions[index][sessionID, default: SessionRecord(name: session, scope: grant.scope, firstTs: ts)].grants[grant] = eventID
        }
    }

    static func update(_ record: inout GrantRecord, ts: Int64?, eventID: Int64, sessionID: Int64, session: String, inTracking: Bool) {
        if let ts, ts < record.firstTs ?? Int64.max {
            record.firstTs = ts
            record.session = session
            record.eventID = eventID
        }
        record.sessions.insert(sessionID)
        if inTracking { record.inTracking = true }
    }

    /// The strings of a JSON array (nil or not an array: none).
    static func strings(_ json: String?) -> [String] {
        guard let json else { return [] }
        let tape = JSONTape()
        let bytes = Array(json.utf8)
        return bytes.withUnsafeBytes { buffer -> [String] in
            do throws(JSONTape.ParseError) { try tape.parse(buffer) } catch { return [] }
            return JSONValue(bytes: buffer, tape: tape).elements.compactMap(\.string).filter { !$0.isEmpty }
        }
    }

    /// The allow rules and directories of a `permission_suggestions` array, with where each is
    /// saved (`session`, `localSettings`, `projectSettings`, `userSettings`).
    static func suggestions(_ json: String) -> [(AgentGrant.Kind, String, String)] {
        let tape = JSONTape()
        let bytes = Array(json.utf8)
        return bytes.withUnsafeBytes { buffer -> [(AgentGrant.Kind, String, String)] in
            do throws(JSONTape.ParseError) { try tape.parse(buffer) } catch { return [] }
            var found: [(AgentGrant.Kind, String, String)] = []
            for suggestion in JSONValue(bytes: buffer, tape: tape).elements {
                let destination = suggestion["destination"]?.string ?? "session"
                switch suggestion["type"]?.string {
                case "addRules", "replaceRules":
                    guard (suggestion["behavior"]?.string ?? "allow") == "allow" else { continue }
                    for rule in suggestion["rules"]?.elements ?? [] {
                        guard let tool = rule["toolName"]?.string, !tool.isEmpty else { continue }
                        let content = rule["ruleContent"]?.string
                        found.append((.allowRule, ClaudePermissionRule(tool: tool, specifier: content?.isEmpty == false ? content : nil).text,
                                      destination))
                    }
                case "addDirectories":
                    for directory in suggestion["directories"]?.elements ?? [] {
                        if let path = directory.string, !path.isEmpty { found.append((.directory, path, destination)) }
                    }
                default:
                    break
                }
            }
            return found
        }
    }

    // MARK: Actions

    mutating func scanActions(_ db: Database) throws(HarnessAuditError) {
        let statement = try db.prepare("""
            SELECT a.session_id, a.session, a.window_ts, a.tool, a.classes, a.targets, a.prod, a.format, a.mode,
                   a.approval_policy, a.sandbox, a.writable_roots, a.agent, a.repo, a.principal, a.cwd, a.evidence, a.command,
                   a.anchor_id, a.session_cwd,
                   -- A Kubernetes request a harness call made is that call's action: counted once, as `check` counts it.
                   \(CheckEngine.madeByCall) AS made_by
            FROM temp.all_actions a
            WHERE \(CheckEngine.loggedActions) AND NOT a.blocked AND a.window_ts < ?
            ORDER BY a.window_ts, a.action_id
            """)
        try statement.bind(1, until)
        let memo = CapabilityMemo(extractor: extractor)
        var events: [Int64] = []
        while try statement.step() {
            guard let sessionID = statement.int64(0), let ts = statement.int64(2) else { continue }
            let scope = CapabilityScope(agent: statement.text(12), repo: statement.text(13) ?? statement.text(19),
                                        principal: statement.text(14))
            var action = CapabilityExtractor.Action()
            action.tool = statement.text(3)
            action.classes = ActionClasses(rawValue: statement.int64(4) ?? 0)
            action.targets = statement.text(5)
            action.production = statement.text(6)
            action.isKubernetes = statement.text(7) == LogFormat.k8sAudit.id
            action.mode = statement.text(8)
            action.approvalPolicy = statement.text(9)
            action.sandbox = statement.text(10)
            action.cwd = statement.text(15)
            let derived = memo.derive(action)
            let (targets, writes) = (derived.targets, derived.writes)
            var capabilities = derived.capabilities
            if action.tool == "Task", scope.agent.lowercased().contains("claude") {
                capabilities = capabilities.map(CapabilityExtractor.claudeToolCapability)
            }
            DriftScan.eventIDs(statement.text(16), into: &events)
            let anchor = statement.int64(18) ?? events.first ?? 0
            let flagged = events.contains { flaggedEvents.contains($0) } || flaggedEvents.contains(anchor)
            let session = statement.text(1) ?? ""
            let command = statement.text(17)
            if let index = period(ts) {
                let counted = statement.int64(20) == 0
                if counted { actionCount[index] += 1 }
                if flagged && counted { flaggedCount[index] += 1 }
                // Updated in place (the scope looked up once): a copy of an entry would copy its set of sessions for
                // every action (quadratic in a scope's sessions).
                let families = capabilities.filter { $0.kind == .command }.map(\.value)
                // A Kubernetes request the agent's call made is that call's action: its capabilities are the call's
                // (`kubectl rollout restart`), not new ones of the account besides (`k8s patch deployments`).
                if counted {
                DriftScan.count(capabilities, in: &usage[index][scope, default: [:]], sessionID: sessionID, session: session,
                                events: events, flagged: flagged, ts: ts, classes: action.classes,
                                familyClasses: families.count > 1 && !action.classes.isDisjoint(with: CheckEngine.riskyClasses)
                                    ? attribute(action.classes, to: families) : [:], command: command, fetch: action.tool == "WebFetch",
                                shell: action.tool.map(HarnessSettingsSnippets.shellTools.contains) ?? false,
                                commandFamilies: families.reduce(0) { $0 + (DriftScan.helperFamilies.contains($1) ? 0 : 1) })
                }
                for capability in capabilities where capability.kind.isSetting {
                    DriftScan.note(capability, anchor: anchor,
                                   in: &sessions[index][sessionID, default: SessionRecord(name: session, scope: scope, firstTs: ts)])
                }
            }
            DriftScan.stamp(capabilities, ts: ts, in: &lastUse[scope, default: [:]])
            if !writes.isEmpty { DriftScan.stamp(writes.filter { $0.hasPrefix("/") || $0.hasPrefix("~") }, ts: ts, in: &lastWrite[scope, default: [:]]) }
            exercise(scope: scope, action: action, targets: targets, command: command, writes: writes, capabilities: capabilities,
                     writableRoots: statement.text(11), ts: ts)
        }
        for (scope, capabilities) in usage[1] {
            previousByAgent[scope.agent, default: []].formUnion(capabilities.keys)
            previousFleet.formUnion(capabilities.keys)
        }
    }

    /// The event ids of an action's evidence (`1,2,3`), into `ids` (read by bytes: the scan does it for every action).
    static func eventIDs(_ text: String?, into ids: inout [Int64]) {
        ids.removeAll(keepingCapacity: true)
        guard var text else { return }
        text.withUTF8 { bytes in
            // A piece that is not a decimal id of at most 18 digits is skipped (`Int64(piece)` would skip anything but
            // digits; ids are row ids, far below 18 digits).
            var value: Int64 = 0, digits = 0, valid = true
            for byte in bytes {
                if byte == UInt8(ascii: ",") {
                    if valid && digits > 0 { ids.append(value) }
                    (value, digits, valid) = (0, 0, true)
                } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") && digits < 18 {
                    value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                    digits += 1
                } else {
                    valid = false
                }
            }
            if valid && digits > 0 { ids.append(value) }
        }
    }

    /// The classes of an action of several command families that each family is counted with: a risky class goes to the
    /// families that have it on their own (in `kubectl exec web-0 -- ls`, remote exec is `kubectl exec`'s, not `ls`'s);
    /// one none has on its own (`curl … | sh`) to all of them. The others go to every family.
    func attribute(_ classes: ActionClasses, to families: [String]) -> [String: ActionClasses] {
        var own: [String: ActionClasses] = [:]
        for family in families {
            own[family] = familyClasses.value(for: family) {
                ShellAnalyzer.classify($0, context: ClassificationContext()).classes.intersection(CheckEngine.riskyClasses)
            }
        }
        let risky = classes.intersection(CheckEngine.riskyClasses)
        var result: [String: ActionClasses] = [:]
        for family in families { result[family] = classes.subtracting(risky) }
        for (bit, _) in ActionClasses.all where risky.contains(bit) {
            let carriers = families.filter { own[$0]?.contains(bit) == true }
            for family in carriers.isEmpty ? families : carriers { result[family]?.insert(bit) }
        }
        return result
    }

    /// Counts one action's use of its capabilities in its scope's usage (a command family with the classes
    /// `familyClasses` gives it, when it gives any).
    static func count(_ capabilities: [Capability], in usage: inout [Capability: Accumulator], sessionID: Int64, session: String,
                      events: [Int64], flagged: Bool, ts: Int64, classes: ActionClasses, familyClasses: [String: ActionClasses] = [:],
                      command: String?, fetch: Bool = false, shell: Bool = false, commandFamilies: Int) {
        for capability in capabilities {
            let own = capability.kind == .command ? familyClasses[capability.value] ?? classes : classes
            count(&usage[capability, default: Accumulator()], sessionID: sessionID, session: session, events: events, flagged: flagged,
                  ts: ts, classes: own, command: command)
            if fetch && capability.kind == .host { usage[capability]?.fetched = true }
            if shell && capability.kind == .command { usage[capability]?.shelled = true }
            if flagged && capability.kind == .command && commandFamilies == 1 && !helperFamilies.contains(capability.value) {
                usage[capability]?.flaggedAlone += 1
            }
        }
    }

    /// Programs that move between directories, print or filter what others produce: in a flagged command line
    /// (`cd repo && cat .env`, `env | sort`) they are never why, so they neither count as the line's program
    /// nor are ever alone in it.
    static let helperFamilies: Set<String> = ["cd", "pushd", "popd", "echo", "printf", "true", "false", "export", "set", "sleep",
                                              "sort", "head", "tail", "grep", "egrep", "fgrep", "wc", "uniq", "cut", "tr", "less",
                                              "more", "column", "jq", "yq", "xargs"]

    /// Records `ts` as the last time of each key.
    static func stamp<Key: Hashable>(_ keys: [Key], ts: Int64, in last: inout [Key: Int64]) {
        for key in keys { last[key] = ts }
    }

    /// Counts one action's use of a capability.
    static func count(_ entry: inout Accumulator, sessionID: Int64, session: String, events: [Int64], flagged: Bool, ts: Int64,
                      classes: ActionClasses, command: String?) {
        entry.actions += 1
        if flagged { entry.flagged += 1 }
        if entry.sessions.insert(sessionID).inserted, entry.firstSessions.count < 3 {
            entry.firstSessions.append(session)
            entry.evidence += events.prefix(4)
        }
        if entry.firstTs == nil { entry.firstTs = ts }
        entry.lastTs = ts
        entry.classes.formUnion(classes)
        if entry.firstCommand == nil { entry.firstCommand = command }
    }

    /// Keeps the most permissive value of a setting the session used.
    static func note(_ setting: Capability, anchor: Int64, in record: inout SessionRecord) {
        if let current = record.settings[setting.kind], setting.kind.rank(current.value) >= setting.kind.rank(setting.value) { return }
        record.settings[setting.kind] = (setting.value, anchor)
    }

    /// Records which grants of the scope this action exercised.
    mutating func exercise(scope: CapabilityScope, action: CapabilityExtractor.Action, targets: [(kind: String, value: String, op: String?)],
                           command: String?, writes: [String], capabilities: [Capability], writableRoots: String?, ts: Int64) {
        if let rules = ruleGrants[scope], let tool = action.tool {
            let paths = targets.filter { $0.kind == "path" }.map(\.value)
            let hosts = capabilities.filter { $0.kind == .host }.map(\.value)
            let home = PathNormalizer.inferHome(from: action.cwd)
            for (grant, rule) in rules {
                let used: Bool
                if let rule {
                    used = rule.covers(tool: tool, command: command, paths: paths, hosts: hosts, projectRoot: action.cwd, home: home)
                } else {
                    let directory = PathNormalizer.absolute(grant.value, cwd: action.cwd, home: home)
                    used = paths.contains { PathNormalizer.isInside($0, root: directory) }
                }
                if used { grantLastUse[grant] = ts }
            }
        }
        if let approval = action.approvalPolicy, AgentGrant.isGrantingApprovalPolicy(approval),
           !action.classes.isDisjoint(with: AgentGrant.askedClasses) {
            grantLastUse[AgentGrant(scope: scope, kind: .approvalPolicy, value: approval)] = ts
        }
        if let sandbox = action.sandbox, AgentGrant.isGrantingSandbox(sandbox) {
            var roots = ["/tmp", "/private/tmp", "/var/tmp"] + (writableRoots ?? "").split(separator: "\n").map(String.init)
            if let cwd = action.cwd { roots.append(cwd) }
            let escapes = writes.contains { path in path.hasPrefix("/") && !roots.contains { PathNormalizer.isInside(path, root: $0) } }
            if escapes || !action.classes.isDisjoint(with: AgentGrant.unconfinedClasses) {
                grantLastUse[AgentGrant(scope: scope, kind: .sandbox, value: sandbox)] = ts
            }
        }
    }
}
