import Foundation
import Testing
@testable import HarnessAuditKit

/// `check` folds events into actions on several connections at once, keeps the model in a private
/// scratch database, and evaluates rules on several read-only connections: none of it may change
/// what it finds, what the model holds, or which snapshot of the store it reads.
@Suite("Parallel check: the fold and the rules on several connections find exactly what one finds")
struct ParallelCheckTests {
    /// Every action of a session's model, all columns, in action order, then every session's facts.
    static func model(_ session: CheckSession) throws -> [[SQLValue]] {
        try session.db.rows("SELECT * FROM all_actions ORDER BY action_id")
            + session.db.rows("SELECT * FROM session_facts ORDER BY session_id")
    }

    static func options(_ database: String, rules: Int, fold: CheckOptions.Fold) -> CheckOptions {
        var options = CheckOptions(databasePath: database)
        options.baseline = Baseline()
        options.ruleConnections = rules
        options.fold = fold
        return options
    }

    @Test("a model built for a window: the streamed fold (sessions chosen by index seeks, facts from its pass) holds the same sessions, actions and facts as the grouped fold (facts from a scan of the events)")
    func windowedModelsAgree() throws {
        let (database, directory) = try WindowTests.everything()
        defer { TestSupport.cleanup(directory) }
        let day: Int64 = 86_400_000
        let middle = Timestamp.parseISO8601("2026-11-01T00:00:00Z")!
        let now = Clock.nowMillis()
        var compared = 0
        for (since, until) in [(middle, middle + day), (middle - 7 * day, nil), (nil, middle), (now - day, now + day)] as [(Int64?, Int64?)] {
            // The grouped fold has every session's facts (it chose the window's sessions from them); the
            // streamed one only those of the sessions it folded.
            var actions: [[[SQLValue]]] = [], facts: [[[SQLValue]]] = []
            var folded = ""
            for fold in [CheckOptions.Fold.streamed(), .grouped(connections: 1)] {
                var options = Self.options(database, rules: 1, fold: fold)
                options.since = since
                options.until = until
                let session = try CheckSession(options)
                _ = try session.run()
                actions.append(try session.db.rows("SELECT * FROM all_actions ORDER BY action_id"))
                if folded.isEmpty {
                    folded = try session.db.rows("SELECT session_id FROM session_facts").compactMap { $0[0].int64 }.map(String.init)
                        .joined(separator: ",")
                }
                facts.append(try session.db.rows("SELECT * FROM session_facts WHERE session_id IN (\(folded)) ORDER BY session_id"))
            }
            let label = "[\(String(describing: since)), \(String(describing: until)))"
            #expect(actions[0] == actions[1], "\(label)")
            #expect(facts[0] == facts[1], "\(label)")
            // Every action's session has its facts (`all_actions` joins them).
            let sessions = Set(actions[0].compactMap { $0[2].int64 })
            #expect(sessions.count <= facts[0].count && !sessions.isEmpty, "\(label)")
            compared += actions[0].count
        }
        #expect(compared > 100)
    }

    @Test("one connection and one GROUP BY, or the fold streamed, or shared by two or three, or left to SQL session by session, and the rules on two or four: the same model, findings and figures, over all time and in windows")
    func sameResults() throws {
        let (database, directory) = try WindowTests.everything()
        defer { TestSupport.cleanup(directory) }
        let single = try CheckSession(Self.options(database, rules: 1, fold: .grouped(connections: 1)))
        let reference = try single.run()
        let referenceModel = try Self.model(single)
        #expect(referenceModel.count > 100)
        #expect(reference.findings.count > 50, "the fixtures must raise findings for the comparison to mean anything")
        let window = (since: Timestamp.parseISO8601("2026-10-28T00:00:00Z")!, until: Timestamp.parseISO8601("2026-11-10T00:00:00Z")!)
        let windowReference = try single.run(since: window.since, until: window.until)
        #expect(!windowReference.findings.isEmpty && windowReference.findings.count < reference.findings.count)

        let folds: [(Int, CheckOptions.Fold)] = [(2, .grouped(connections: 2)), (4, .grouped(connections: 3)), (1, .grouped(connections: 3)),
                                                 (1, .streamed()), (3, .streamed()), (2, .streamed(heldBytesLimit: 1)),
                                                 (1, .streamed(heldBytesLimit: 4_000))]
        for (rules, fold) in folds {
            let session = try CheckSession(Self.options(database, rules: rules, fold: fold))
            #expect(session.ruleConnections == rules)
            #expect(try Self.model(session) == referenceModel, "fold \(fold)")
            let result = try session.run()
            #expect(result.findings == reference.findings, "rules on \(rules) connections, fold on \(fold)")
            #expect(result.actions == reference.actions && result.riskyActions == reference.riskyActions
                    && result.confirmedRiskyActions == reference.confirmedRiskyActions
                    && result.blockedAttempts == reference.blockedAttempts && result.undatedActions == reference.undatedActions)
            let windowed = try session.run(since: window.since, until: window.until)
            #expect(windowed.findings == windowReference.findings, "window, rules on \(rules) connections, fold on \(fold)")
            #expect(windowed.actions == windowReference.actions)
        }
        // A model folded for a window only (its sessions), shared among three connections, or streamed.
        for fold: CheckOptions.Fold in [.grouped(connections: 3), .streamed(), .streamed(heldBytesLimit: 1)] {
            var options = Self.options(database, rules: 2, fold: fold)
            options.since = window.since
            options.until = window.until
            #expect(try CheckSession(options).run().findings == windowReference.findings, "fold \(fold)")
        }
    }

    @Test("the streamed fold folds what the GROUP BY folds: one call logged twice with different texts, results and decisions without their call, undated events, call ids that look like event ids, sessions interleaved, sessions too large to hold")
    func streamedFoldEdges() throws {
        let hook = #"{"session_id":"h-1","transcript_path":"/home/dev/.claude/projects/x/h-1.jsonl","cwd":"/home/dev/app","permission_mode":"default","#
        var lines: [String] = [
            // The same call twice, with different commands: the larger text wins, from the call events.
            hv1("s-1", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"rm -rf /srv/app/b"}"#),
            hv1("s-2", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"cat .env"}"#),
            hv1("s-1", 2, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"rm -rf /srv/app/a"}"#),
            hv1("s-1", 3, #""kind":"tool_result","tool":"Bash","call_id":"c-1","outcome":"success""#),
            // A decision and a result with no call; a request alone.
            hv1("s-1", 4, #""kind":"permission_decision","tool":"Bash","call_id":"c-2","decision":"deny","decision_source":"user""#),
            hv1("s-1", 5, #""kind":"tool_result","tool":"Bash","call_id":"c-2","outcome":"failure""#),
            hv1("s-1", 6, #""kind":"permission_request","tool":"Write","call_id":"c-3","input":{"file_path":"/etc/hosts"}"#),
            // Call ids that look like event ids, and calls with no call id at all.
            hv1("s-1", 7, #""kind":"tool_call","tool":"Bash","call_id":"9","input":{"command":"git push --force"}"#),
            hv1("s-1", 8, #""kind":"tool_call","tool":"Bash","input":{"command":"terraform apply -auto-approve"}"#),
            hv1("s-1", 9, #""kind":"tool_call","tool":"Bash","input":{"command":"psql -c 'DROP TABLE users'"}"#),
            hv1("s-2", 9, #""kind":"tool_result","tool":"Bash","call_id":"c-1","outcome":"success""#),
            // A result logged before its call (clocks disagree).
            hv1("s-3", 20, #""kind":"tool_result","tool":"Bash","call_id":"c-9","outcome":"success""#),
            hv1("s-3", 10, #""kind":"tool_call","tool":"Bash","call_id":"c-9","input":{"command":"kubectl delete ns prod"}"#),
            // Undated: Claude hook payloads.
            hook + #""hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"rm -rf ~/work"},"tool_use_id":"toolu_1"}"#,
            hook + #""hook_event_name":"PermissionRequest","tool_name":"Bash","tool_input":{"command":"rm -rf ~/work"},"tool_use_id":"toolu_1"}"#,
            hook + #""hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"rm -rf ~/work"},"tool_response":{"stdout":""},"tool_use_id":"toolu_1"}"#,
            // A result whose targets stand for the action (a bare push its gitOperation says went to main).
            hook + #""hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git push"},"tool_use_id":"toolu_2"}"#,
            hook + #""hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"git push"},"tool_response":{"stdout":"","gitOperation":{"push":{"branch":"main"}}},"tool_use_id":"toolu_2"}"#,
        ]
        for index in 0..<40 { lines += hv1Bash("s-4", 30 + 2 * index, "c-\(index)", "cat /srv/app/f\(index).txt") }
        // Sessions' facts come from all their events, not only those that make actions: a session that
        // only started; a session whose first working directory is logged by a line written last.
        lines += [hv1("s-5", 1, #""kind":"session_start""#, cwd: "/srv/started"),
                  hv1("s-5", 2, #""kind":"prompt","text":"hello""#, cwd: ""),
                  hv1("s-6", 5, #""kind":"prompt","text":"hello""#, cwd: "")]
        lines += [hv1("s-6", 6, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"ls"}"#, cwd: "/srv/other"),
                  hv1("s-6", 8, #""kind":"tool_call","tool":"Bash","call_id":"c-2","input":{"command":"ls"}"#, cwd: "/srv/app")]
        lines.append(hv1("s-6", 2, #""kind":"prompt","text":"first""#, cwd: "/srv/first"))
        // A session with many contexts (a set, past the first 16), coming back to earlier ones; the last new one
        // alone names another repository.
        for index in 0..<40 { lines.append(hv1("s-7", 100 + index, #""kind":"prompt","text":"p\#(index)""#, cwd: "/srv/c\(index % 20)")) }
        lines.append(hv1("s-7", 150, #""kind":"prompt","text":"last""#, cwd: "/srv/z").replacingOccurrences(of: "acme/app", with: "zzz/app"))
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let reference = try CheckSession(Self.options(database, rules: 1, fold: .grouped(connections: 1)))
        let model = try Self.model(reference)
        let findings = try reference.run().findings
        #expect(model.count == 6 + 1 + 1 + 2 + 40 + 2 + 8,
                "s-1: four calls and two without call ids; s-2, s-3: one call each; h-1: 2; s-4: 40; s-6: 2; eight sessions")
        let pushed = try reference.db.rows("SELECT targets FROM all_actions WHERE call_id = 'toolu_2'")
        #expect(pushed.first?[0].text?.contains(#""value":"main","op":"push""#) == true, "\(pushed)")
        let facts = try reference.db.rows("SELECT cwd, repo FROM session_facts WHERE session IN ('s-5', 's-6', 's-7') ORDER BY session")
        #expect(facts.map { $0[0].text } == ["/srv/started", "/srv/first", "/srv/c0"])
        #expect(facts.last?[1].text == "zzz/app")
        #expect(findings.count > 3)
        for fold: CheckOptions.Fold in [.streamed(), .streamed(heldBytesLimit: 1), .streamed(heldBytesLimit: 3_000)] {
            let session = try CheckSession(Self.options(database, rules: 1, fold: fold))
            let streamed = try Self.model(session)
            #expect(streamed == model, "fold \(fold)")
            #expect(try session.run().findings == findings, "fold \(fold)")
        }
        // The larger command of the call logged twice; the evidence in id order.
        let row = try reference.db.rows("SELECT command, evidence FROM all_actions WHERE call_id = 'c-1' AND session = 's-1'")
        #expect(row.first?[0].text == "rm -rf /srv/app/b")
        let ids = (row.first?[1].text ?? "").split(separator: ",").compactMap { Int($0) }
        #expect(ids.count == 3 && ids == ids.sorted())
    }

    @Test("report and drift read the same with drift's scan on another connection as with everything on one")
    func reportAndDriftAlongside() throws {
        let (database, directory) = try WindowTests.everything()
        defer { TestSupport.cleanup(directory) }
        func report(connections: Int) throws -> String {
            var check = Self.options(database, rules: connections, fold: connections == 1 ? .grouped(connections: 1) : .streamed())
            check.now = Timestamp.parseISO8601("2026-12-01T00:00:00Z")!
            var options = ReportOptions(check: check)
            options.period = ReportPeriod.month(year: 2026, month: 11)
            options.generatedAt = check.now
            return ReportMarkdownRenderer.render(ReportComposer.compose(try ReportBuilder.build(options)))
        }
        func drift(connections: Int) throws -> String {
            var check = Self.options(database, rules: connections, fold: connections == 1 ? .grouped(connections: 1) : .streamed())
            check.now = Timestamp.parseISO8601("2026-12-01T00:00:00Z")!
            var result = try DriftAnalyzer.run(DriftOptions(check: check, current: ReportPeriod.month(year: 2026, month: 11),
                                                            previous: ReportPeriod.month(year: 2026, month: 10)))
            result.elapsedSeconds = 0
            result.result.elapsedSeconds = 0
            result.result.timings = []
            // The time of rendering aside.
            return DriftJSONRenderer.render(result, options: FindingsRenderOptions())
                .replacingOccurrences(of: #""generatedAt": *"[^"]*""#, with: "", options: .regularExpression)
        }
        let single = try report(connections: 1)
        #expect(single.contains("Least privilege") && single.count > 5_000)
        #expect(try report(connections: 2) == single)
        let singleDrift = try drift(connections: 1)
        #expect(singleDrift.contains("\"drift\"") && singleDrift.count > 1_000)
        #expect(try drift(connections: 3) == singleDrift)
    }

    @Test("rules that read the store's own tables run on the check's connection; rules that read only the model may run on any")
    func placement() throws {
        let (database, directory) = try CheckTestSupport.store(hv1Bash("s-1", 0, "c-1", "ls"))
        defer { TestSupport.cleanup(directory) }
        let session = try CheckSession(CheckOptions(databasePath: database))
        let portable = try session.portableRules()
        let byRule = Dictionary(uniqueKeysWithValues: zip(session.rules.map(\.id), portable))
        #expect(byRule.count == (try RuleLoader.builtIn()).count)
        for rule in ["seq-gap", "hash-chain-broken", "mode-loosened-to-bypass", "rejected-lines", "partial-source"] {
            #expect(byRule[rule] == false, "\(rule) reads events, sources or rejected lines")
        }
        for rule in ["untested-change", "sensitive-read", "approval-bypass-mode", "k8s-without-harness-record", "unconfirmed-delete"] {
            #expect(byRule[rule] == true, "\(rule) reads only the model")
        }
    }

    @Test("the tables a statement reads: views and the tables behind them, JSON's table functions named as such")
    func tablesRead() throws {
        let db = try Database(path: ":memory:", access: .memory)
        try db.execute("CREATE TABLE t(a, b); CREATE TABLE u(c); CREATE TEMP VIEW v AS SELECT a FROM main.t")
        let reads = try db.tablesRead("SELECT v.a, (SELECT count(*) FROM u), j.value FROM v, json_each('[1]') j")
        // The view itself is named too, in its schema; compiling may read the schema table.
        #expect(Set(reads.map { $0.schema + "." + $0.table }).subtracting(["main.sqlite_master"])
                == ["main.t", "main.u", "main.json_each", "temp.v"])
        #expect(throws: HarnessAuditError.self) { try db.tablesRead("SELECT nothing FROM nowhere") }
    }

    @Test("the model is the snapshot the check opened on: events an ingest adds meanwhile stay out, even when the model is rebuilt")
    func snapshot() throws {
        let first = hv1Bash("s-1", 0, "c-1", "rm -rf /tmp/x") + hv1Bash("s-1", 60, "c-2", "ls")
        let (database, directory) = try CheckTestSupport.store(first)
        defer { TestSupport.cleanup(directory) }
        var options = CheckOptions(databasePath: database)
        options.baseline = Baseline()
        // A model of one window's sessions, so asking for all of them rebuilds it.
        options.since = WindowTests.start
        options.until = WindowTests.start + 3_600_000
        let session = try CheckSession(options)
        let before = try session.run()
        let actions = try WindowTests.count(session.db, "SELECT count(*) FROM all_actions")
        #expect(actions == 2)

        TestSupport.write((hv1Bash("s-2", 30, "c-9", "rm -rf /srv/data") + hv1Bash("s-1", 90, "c-3", "sudo rm -rf /")).joined(separator: "\n") + "\n",
                          to: directory + "/later.jsonl")
        let added = try TestSupport.ingest([directory + "/later.jsonl"], database: database)
        #expect(added.eventsAdded == 4)

        try session.foldAllSessions()
        #expect(try WindowTests.count(session.db, "SELECT count(*) FROM all_actions") == actions)
        #expect(try WindowTests.count(session.db, "SELECT count(*) FROM session_facts") == 1)
        let after = try session.run(since: options.since, until: options.until)
        #expect(after.findings == before.findings)
        // A new check sees them.
        #expect(try WindowTests.count(CheckSession(options).db, "SELECT count(*) FROM all_actions") == 4)
    }

    @Test("rules run on other connections only when those read the check's snapshot: after an ingest commits, on the check's own")
    func helpersShareTheSnapshot() throws {
        let (database, directory) = try CheckTestSupport.store(hv1Bash("s-1", 0, "c-1", "rm -rf /tmp/x"))
        defer { TestSupport.cleanup(directory) }
        var options = CheckOptions(databasePath: database)
        options.baseline = Baseline()
        options.ruleConnections = 3
        let reference = try CheckSession(options)
        #expect(reference.ruleConnections == 3)
        let expected = try reference.run()
        #expect(!expected.findings.isEmpty)

        TestSupport.write(hv1Bash("s-2", 30, "c-9", "rm -rf /srv/data").joined(separator: "\n") + "\n", to: directory + "/later.jsonl")
        // The ingest commits once the model is built, before the other connections open.
        var added: Int64 = 0
        let session = try CheckSession(options, windowed: true) {
            added = (try? TestSupport.ingest([directory + "/later.jsonl"], database: database).eventsAdded) ?? -1
        }
        #expect(added == 2)
        #expect(session.ruleConnections == 1, "connections opened after the ingest read another snapshot")
        #expect(try session.run().findings == expected.findings)
        #expect(try CheckSession(options).run().findings.count > expected.findings.count)
    }

    @Test("undated actions keep the place the check's snapshot gives them when an ingest changes their file's time and the model is rebuilt")
    func sourceTimesAreTheSnapshots() throws {
        let directory = TestSupport.temporaryDirectory("sourceTimes")
        defer { TestSupport.cleanup(directory) }
        let database = directory + "/store.sqlite", file = directory + "/undated.jsonl"
        func undated(_ session: String, _ command: String) -> String {
            CheckTestSupport.hookLines(session: session, tools: [("Bash", #"{"command":""# + command + #""}"#)])
                .map { $0.replacingOccurrences(of: #","timestamp":"[^"]*""#, with: "", options: .regularExpression) }
                .joined(separator: "\n") + "\n"
        }
        func touch(_ ms: Int64) {
            var times = [timeval(tv_sec: Int(ms / 1000), tv_usec: 0), timeval(tv_sec: Int(ms / 1000), tv_usec: 0)]
            #expect(utimes(file, &times) == 0)
        }
        let hour: Int64 = 3_600_000, first = WindowTests.start
        TestSupport.write(undated("0d4e5f60-7a8b-4c9d-8e0f-a1b2c3d4e5f6", "rm -rf /srv/a"), to: file)
        touch(first)
        try TestSupport.ingest([file], database: database)
        var options = CheckOptions(databasePath: database)
        options.baseline = Baseline()
        options.since = first - hour
        options.until = first + hour
        let session = try CheckSession(options)
        let placed = try session.db.rows("SELECT action_id, window_ts FROM all_actions ORDER BY action_id")
        #expect(placed.count > 0 && placed.allSatisfy { $0[1] == .integer(first) })
        #expect(try WindowTests.count(session.db, "SELECT count(*) FROM actions") == Int64(placed.count))

        // An ingest resumes the grown file, whose time is now 400 days later.
        let handle = try #require(FileHandle(forWritingAtPath: file))
        handle.seekToEndOfFile()
        handle.write(Data(undated("11111111-7a8b-4c9d-8e0f-a1b2c3d4e5f6", "ls").utf8))
        handle.closeFile()
        touch(first + 400 * 24 * hour)
        #expect(try TestSupport.ingest([file], database: database).eventsAdded > 0)
        // A window the model does not hold rebuilds it; back in the first, the same actions in the same place.
        try session.setWindow(since: first - 200 * 24 * hour, until: first - 199 * 24 * hour)
        try session.setWindow(since: options.since, until: options.until)
        #expect(try session.db.rows("SELECT action_id, window_ts FROM all_actions ORDER BY action_id") == placed)
        #expect(try WindowTests.count(session.db, "SELECT count(*) FROM actions") == Int64(placed.count))
    }

    @Test("a session asked for window after window rebuilds its model once at most")
    func rebuildsAtMostOnce() throws {
        // One session every ten days: a call at 10:00:00 and its result a second later.
        let formatter = ISO8601DateFormatter()
        var lines: [String] = []
        for index in 0..<14 {
            let date = formatter.string(from: Date(timeIntervalSince1970: Double(WindowTests.start) / 1000 + Double(index) * 864_000))
            lines += hv1Bash("s-\(index)", 0, "c-\(index)", "rm -rf /srv/x\(index)")
                .map { $0.replacingOccurrences(of: "2026-11-02T10:00:0", with: String(date.prefix(18))) }
        }
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        var options = CheckOptions(databasePath: database)
        options.baseline = Baseline()
        let day: Int64 = 86_400_000
        options.since = WindowTests.start + 130 * day
        options.until = options.since! + day
        let session = try CheckSession(options)
        #expect(session.modelRange != .all)
        for index in stride(from: 12, through: 0, by: -1) {
            let since = WindowTests.start + Int64(index) * 10 * day
            let result = try session.run(since: since, until: since + day)
            #expect(!result.findings.isEmpty && Set(result.findings.map(\.session)) == ["s-\(index)"])
        }
        #expect(session.scratch.generation == 2 && session.modelRange == .all)
    }

    /// The descriptors this process holds open on files whose path contains `fragment`.
    static func openFiles(containing fragment: String) -> [String] {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0) }
            .filter { $0.contains(fragment) }
    }

    @Test("the scratch database is private to the user, holds nothing on disk once the connections have it open, and is closed and removed when the check ends")
    func scratchIsPrivateAndRemoved() throws {
        let (database, directory) = try CheckTestSupport.store(hv1Bash("s-1", 0, "c-1", "cat ~/.aws/credentials")
                                                               + hv1Bash("s-2", 0, "c-2", "rm -rf /srv/data"))
        defer { TestSupport.cleanup(directory) }
        var scratch = ""
        do {
            var options = CheckOptions(databasePath: database)
            options.fold = .grouped(connections: 2)
            options.ruleConnections = 3
            let session = try CheckSession(options)
            _ = try session.run()
            scratch = session.scratch.directory.path
            var info = stat()
            #expect(stat(scratch, &info) == 0 && info.st_mode & 0o777 == 0o700)
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty, "the model is unlinked once attached")
            #expect(Self.openFiles(containing: scratch).count == 3, "each rule connection holds the model open")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch))
        #expect(Self.openFiles(containing: scratch).isEmpty, "the connections are closed with the session")
        #expect(Self.openFiles(containing: directory).isEmpty, "no connection to the store is left open")
    }

    @Test("a scratch file is created private to the user")
    func scratchFileMode() throws {
        let directory = TestSupport.temporaryDirectory("scratchFileMode")
        defer { TestSupport.cleanup(directory) }
        _ = try Database(path: directory + "/x.sqlite", access: .scratch)
        var info = stat()
        #expect(stat(directory + "/x.sqlite", &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test("a store whose path holds spaces, `#`, `?` and `%` is attached to the fold's connections as itself")
    func awkwardStorePath() throws {
        let root = TestSupport.temporaryDirectory("awkwardStorePath")
        defer { TestSupport.cleanup(root) }
        let directory = root + "/a dir %41 #1"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = directory + "/my store#?x=1.sqlite"
        TestSupport.write(hv1Bash("s-1", 0, "c-1", "rm -rf /srv/data").joined(separator: "\n") + "\n", to: directory + "/log.jsonl")
        _ = try TestSupport.ingest([directory + "/log.jsonl"], database: database)
        for fold: CheckOptions.Fold in [.grouped(connections: 2), .streamed()] {
            var options = CheckOptions(databasePath: database)
            options.fold = fold
            options.ruleConnections = 2
            let result = try CheckEngine.run(options)
            #expect(result.actions == 1)
            #expect(result.findings.contains { $0.rule == "unconfirmed-delete" })
        }
    }

    @Test("without `windowed`, a bounded window still finds what an indexed one finds")
    func unindexedWindow() throws {
        let (database, directory) = try WindowTests.everything()
        defer { TestSupport.cleanup(directory) }
        var options = CheckOptions(databasePath: database)
        options.baseline = Baseline()
        let since = Timestamp.parseISO8601("2026-10-28T00:00:00Z")!, until = Timestamp.parseISO8601("2026-11-10T00:00:00Z")!
        let plain = try CheckSession(options, windowed: false)
        let plan = try plain.db.rows("EXPLAIN QUERY PLAN SELECT count(*) FROM actions_raw WHERE window_ts >= 0").map { $0.last?.text ?? "" }
        #expect(!plan.joined().contains("actions_raw_window"))
        #expect(try plain.run(since: since, until: until).findings == CheckSession(options).run(since: since, until: until).findings)
    }
}
