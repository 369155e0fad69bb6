import Foundation
import Testing
@testable import HarnessAuditKit

@Suite("Time windows: `actions` read through an index, rules that order sessions unchanged by it")
struct WindowTests {
    static let start = Timestamp.parseISO8601("2026-11-02T10:00:00Z")!

    static func count(_ db: Database, _ sql: String) throws -> Int64 { try db.scalarInt(sql) ?? -1 }

    /// A Claude Code hook log (no timestamps) that grows between ingests.
    static func hookLine(_ session: String, _ mode: String, _ command: String, _ id: String) -> String {
        #"{"session_id":"\#(session)","cwd":"/home/a/app","permission_mode":"\#(mode)","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"\#(command)"},"tool_use_id":"\#(id)"}"#
    }

    static func setModified(_ path: String, _ iso: String) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(Timestamp.parseISO8601(iso)!) / 1000)],
                                              ofItemAtPath: path)
    }

    @Test("lines with no time stay where the ingest that read them placed them when their log grows: a past month does not change")
    func growingUndatedLog() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let log = dir + "/hooks.jsonl", db = dir + "/store.sqlite"
        TestSupport.write(Self.hookLine("s-oct", "default", "rm -rf /home/a/app/data", "toolu_1") + "\n", to: log)
        try Self.setModified(log, "2026-10-15T12:00:00Z")
        try TestSupport.ingest([log], database: db)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((Self.hookLine("s-nov", "default", "ls", "toolu_2") + "\n").utf8))
        try handle.close()
        try Self.setModified(log, "2026-11-20T12:00:00Z")
        #expect(try TestSupport.ingest([log], database: db).eventsAdded == 1)
        var options = CheckOptions(databasePath: db)
        options.baseline = Baseline()
        let october = (Timestamp.parseISO8601("2026-10-01T00:00:00Z")!, Timestamp.parseISO8601("2026-11-01T00:00:00Z")!)
        let november = (october.1, Timestamp.parseISO8601("2026-12-01T00:00:00Z")!)
        for windowed in [false, true] {
            for (window, sessions) in [(october, ["s-oct"]), (november, ["s-nov"])] {
                if windowed { (options.since, options.until) = (window.0, window.1) }
                let session = try CheckSession(options)
                let result = try session.run(since: window.0, until: window.1)
                let names = try session.db.rows("SELECT DISTINCT session FROM actions ORDER BY session").compactMap { $0[0].text }
                #expect(names == sessions, "\(windowed ? "windowed model" : "full model"): \(names)")
                #expect(result.findings.contains { $0.rule == "unconfirmed-delete" } == (sessions == ["s-oct"]))
                // No time in the log, so none in the finding; charts place it where the window does.
                if let delete = result.findings.first(where: { $0.rule == "unconfirmed-delete" }) {
                    #expect(delete.ts == nil && delete.placedTs == Timestamp.parseISO8601("2026-10-15T12:00:00Z"))
                }
            }
        }
    }

    @Test("a mode loosened to bypass in a session with no time at all is found in the window its file is placed in, as over all time")
    func undatedModeChangeInWindow() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let log = dir + "/hooks.jsonl", db = dir + "/store.sqlite"
        TestSupport.write(Self.hookLine("s-min1", "default", "cat README.md", "toolu_1") + "\n"
                          + Self.hookLine("s-min1", "bypassPermissions", "ls", "toolu_2") + "\n", to: log)
        try Self.setModified(log, "2026-10-15T12:00:00Z")
        try TestSupport.ingest([log], database: db)
        var options = CheckOptions(databasePath: db)
        options.baseline = Baseline()
        let all = try CheckEngine.run(options).findings.filter { $0.rule == "mode-loosened-to-bypass" }
        #expect(all.count == 1)
        options.since = Timestamp.parseISO8601("2026-10-01T00:00:00Z")!
        options.until = Timestamp.parseISO8601("2026-11-01T00:00:00Z")!
        #expect(try CheckEngine.run(options).findings.filter { $0.rule == "mode-loosened-to-bypass" }.map(\.id) == all.map(\.id))
        options.since = Timestamp.parseISO8601("2026-11-01T00:00:00Z")!
        options.until = Timestamp.parseISO8601("2026-12-01T00:00:00Z")!
        #expect(try CheckEngine.run(options).findings.filter { $0.rule == "mode-loosened-to-bypass" }.isEmpty)
    }

    @Test("moving the window moves `actions` and `in_window`, and a bounded window is read through the index on window_ts")
    func windowMovesAndUsesIndex() throws {
        // Four calls, ten minutes apart, each with its result a second later: four actions.
        let lines = hv1Bash("s-1", 0, "c-1", "ls") + hv1Bash("s-1", 600, "c-2", "ls") + hv1Bash("s-1", 1200, "c-3", "ls")
            + hv1Bash("s-1", 1800, "c-4", "ls")
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        var options = CheckOptions(databasePath: database)
        options.rules = try CheckTestSupport.rules("high-risk-command")
        let session = try CheckSession(options)
        let minute: Int64 = 60_000
        let windows: [(Int64?, Int64?, Int64)] = [
            (nil, nil, 4), (Self.start + 5 * minute, nil, 3), (nil, Self.start + 15 * minute, 2),
            (Self.start + 5 * minute, Self.start + 25 * minute, 2), (Self.start + 30 * minute, nil, 1),
            (Self.start + 31 * minute, nil, 0), (nil, Self.start, 0),
        ]
        for (since, until, expected) in windows {
            try session.setWindow(since: since, until: until)
            #expect(try Self.count(session.db, "SELECT count(*) FROM actions") == expected, "\(String(describing: since)) \(String(describing: until))")
            #expect(try Self.count(session.db, "SELECT count(*) FROM all_actions WHERE in_window") == expected)
            #expect(try Self.count(session.db, "SELECT count(*) FROM all_actions") == 4)
            let plan = try session.db.rows("EXPLAIN QUERY PLAN SELECT count(*) FROM actions WHERE classes = -1")
                .map { $0.last?.text ?? "" }.joined(separator: "\n")
            // The window's bounds are untyped like the column, so the index applies (a typed bound silently
            // turned every windowed rule into a scan of all actions).
            #expect(plan.contains("actions_raw_window") == (since != nil || until != nil), "\(plan)")
        }
    }

    /// The findings of `rule` over the store, all time, and in each window.
    static func compareWindows(_ rule: String, fixtures: [String], windows: Int = 6) throws {
        let directory = TestSupport.temporaryDirectory("windows-" + rule)
        defer { TestSupport.cleanup(directory) }
        let database = directory + "/store.sqlite"
        _ = try TestSupport.ingest(fixtures, database: database)
        var options = CheckOptions(databasePath: database)
        options.rules = try CheckTestSupport.rules(rule)
        options.baseline = Baseline()
        let all = try CheckEngine.run(options).findings
        #expect(!all.isEmpty, "\(rule): the fixtures must raise findings for the comparison to mean anything")
        let times = Set(all.compactMap(\.ts)).sorted()
        // Windows that cut between findings: every boundary just after one finding's time.
        var cuts: [Int64?] = [nil]
        for (index, ts) in times.enumerated() where index % max(1, times.count / windows) == 0 { cuts.append(ts + 1) }
        cuts.append(nil)
        for index in 0..<(cuts.count - 1) {
            let since = cuts[index], until = cuts[index + 1]
            options.since = since
            options.until = until
            let windowed = Set(try CheckEngine.run(options).findings.map(\.id))
            let expected = Set(all.filter { finding in
                guard let ts = finding.ts else { return false }
                return (since == nil || ts >= since!) && (until == nil || ts < until!)
            }.map(\.id))
            #expect(windowed == expected, "\(rule) in [\(String(describing: since)), \(String(describing: until)))")
        }
    }

    static func ruleFixture(_ directory: String, _ rule: String) -> String {
        TestSupport.repositoryRoot + "/queries/rules/\(directory)/\(rule).positive.jsonl"
    }

    // These rules read only the sessions that overlap the window (or push, or run in bypass mode, in it);
    // each reports at the time of the event or push it is about, so a window holds exactly the findings
    // of all time that fall in it.
    @Test("in a window: exactly the all-time findings in that window",
          arguments: [("untested-change", "untested-change"), ("seq-gap", "audit-gap"), ("hash-chain-broken", "audit-gap"),
                      ("mode-loosened-to-bypass", "privilege-escalation")])
    func sessionOrderingRules(rule: String, directory: String) throws {
        try Self.compareWindows(rule, fixtures: [Self.ruleFixture(directory, rule)])
    }

    @Test("approval-bypass-mode in a window: the episodes that overlap it, numbered as over all time")
    func approvalBypass() throws {
        // Two sessions in bypass mode: one whose episode is wholly in the first hour, one in the second.
        func call(_ session: String, _ second: Int, _ call: String, _ command: String) -> [String] {
            hv1Bash(session, second, call, command, extra: #","permission_mode":"bypassPermissions""#)
        }
        let lines = call("s-a", 0, "a-1", "rm -rf build") + call("s-a", 60, "a-2", "ls")
            + call("s-b", 2400, "b-1", "rm -rf dist") + call("s-b", 2460, "b-2", "ls")
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        var options = CheckOptions(databasePath: database)
        options.rules = try CheckTestSupport.rules("approval-bypass-mode")
        let all = try CheckEngine.run(options).findings
        #expect(all.count == 2)
        options.since = Self.start + 30 * 60_000
        let later = try CheckEngine.run(options).findings
        #expect(later.map(\.id) == all.filter { $0.session == "s-b" }.map(\.id))
        options.since = nil
        options.until = Self.start + 30 * 60_000
        #expect(try CheckEngine.run(options).findings.map(\.id) == all.filter { $0.session == "s-a" }.map(\.id))
    }

    // MARK: A model of the window's sessions only

    /// Every rule fixture of the pack and the bundled samples: all formats, undated Claude hook
    /// sessions, Kubernetes requests beside harness calls, bypass episodes, pushes after tests.
    static func everything() throws -> (database: String, directory: String) {
        let directory = TestSupport.temporaryDirectory("windows-everything")
        let root = TestSupport.repositoryRoot
        let rules = try FileManager.default.subpathsOfDirectory(atPath: root + "/queries/rules")
            .filter { $0.contains(".positive.") || $0.contains(".negative.") }.sorted().map { root + "/queries/rules/" + $0 }
        // A Claude hook session as delivered, with no timestamp: placed by its file's time.
        let undated = CheckTestSupport.hookLines(session: "0d4e5f60-7a8b-4c9d-8e0f-a1b2c3d4e5f6", tools: [
            ("Bash", #"{"command":"sudo systemctl restart nginx"}"#), ("Bash", #"{"command":"rm -rf /home/alice/app/build"}"#),
        ]).map { $0.replacingOccurrences(of: #","timestamp":"[^"]*""#, with: "", options: .regularExpression) }
        #expect(!undated.joined().contains("timestamp"))
        TestSupport.write(undated.joined(separator: "\n") + "\n", to: directory + "/undated-hooks.jsonl")
        _ = try TestSupport.ingest(rules + [root + "/samples", directory + "/undated-hooks.jsonl"], database: directory + "/store.sqlite")
        return (directory + "/store.sqlite", directory)
    }

    /// What a session built for `[since, until)` reports, and what a session of every session reports
    /// for the same window.
    static func bothModels(_ database: String, since: Int64?, until: Int64?) throws -> (windowed: CheckResult, full: CheckResult, windowedActions: Int64) {
        var options = CheckOptions(databasePath: database)
        options.baseline = Baseline()
        let full = try CheckSession(options).run(since: since, until: until)
        options.since = since
        options.until = until
        let session = try CheckSession(options)
        let windowed = try session.run()
        return (windowed, full, try count(session.db, "SELECT count(*) FROM all_actions"))
    }

    @Test("a check of a window folds only the sessions it needs, and every built-in rule reports exactly what a model of every session reports")
    func windowModelMatchesFullModel() throws {
        let (database, directory) = try Self.everything()
        defer { TestSupport.cleanup(directory) }
        let db = try Database(path: database, access: .readOnly)
        let times = try db.rows("SELECT DISTINCT ts FROM events WHERE ts IS NOT NULL ORDER BY ts").compactMap { $0[0].int64 }
        #expect(times.count > 100)
        var options = CheckOptions(databasePath: database)
        options.baseline = Baseline()
        let total = try Self.count(CheckSession(options).db, "SELECT count(*) FROM all_actions")
        // Windows that cut the data at eight places, between them, and open on either side; and one
        // hour, one day and one week around the middle.
        var windows: [(Int64?, Int64?)] = []
        let cuts = stride(from: 0, to: times.count, by: max(1, times.count / 8)).map { times[$0] + 1 }
        for (index, cut) in cuts.enumerated() {
            windows.append((cut, nil))
            windows.append((nil, cut))
            if index + 1 < cuts.count { windows.append((cut, cuts[index + 1])) }
        }
        // Around now: where the undated session's file time places it.
        let now = Clock.nowMillis()
        windows += [(now - 86_400_000, now + 86_400_000), (now - 86_400_000, nil)]
        #expect(try Self.count(db, "SELECT count(*) FROM (SELECT session_id FROM events GROUP BY session_id HAVING max(ts) IS NULL)") == 1)
        let middle = times[times.count / 2]
        for length: Int64 in [3_600_000, 86_400_000, 7 * 86_400_000] { windows.append((middle - length / 2, middle + length / 2)) }
        var smaller = 0
        var findings = 0
        for (since, until) in windows {
            let (windowed, full, actions) = try Self.bothModels(database, since: since, until: until)
            let label = "[\(String(describing: since)), \(String(describing: until)))"
            #expect(windowed.findings.map(\.id) == full.findings.map(\.id), "\(label)")
            // Every field: reasons, evidence, details, severities.
            #expect(windowed.findings == full.findings, "\(label)")
            #expect(windowed.actions == full.actions && windowed.riskyActions == full.riskyActions
                    && windowed.confirmedRiskyActions == full.confirmedRiskyActions
                    && windowed.blockedAttempts == full.blockedAttempts && windowed.undatedActions == full.undatedActions, "\(label)")
            #expect(actions <= total)
            if actions < total { smaller += 1 }
            findings += windowed.findings.count
        }
        // The comparison means something: most windows folded fewer actions, and the rules found things.
        #expect(smaller > windows.count / 2)
        #expect(findings > 50)
    }

    @Test("a Kubernetes request at the start of a window is matched by a harness call of a session that ended just before it")
    func gapWindowReachesBeforeTheWindow() throws {
        let fixture = TestSupport.repositoryRoot + "/queries/rules/audit-gap/k8s-without-harness-record.negative.jsonl"
        let directory = TestSupport.temporaryDirectory("windows-k8s")
        defer { TestSupport.cleanup(directory) }
        let database = directory + "/store.sqlite"
        _ = try TestSupport.ingest([fixture], database: database)
        var options = CheckOptions(databasePath: database)
        options.rules = try CheckTestSupport.rules("k8s-without-harness-record")
        // The hook session runs kubectl from 09:00:01.5 to 09:00:03; the requests come at 09:00:06 and 09:00:09.
        options.since = Timestamp.parseISO8601("2026-11-14T09:00:05Z")!
        let session = try CheckSession(options)
        // The request a call made belongs to the call's place in time (before the window); the other, which only the gap
        // rule's nearness matches to the session, stays in it.
        #expect(try Self.count(session.db, "SELECT count(*) FROM all_actions WHERE format = 'k8s-audit' AND in_window = 0 AND action_id IN (SELECT request_id FROM k8s_made_by)") == 1)
        #expect(try Self.count(session.db, "SELECT count(*) FROM actions WHERE format = 'k8s-audit'") == 1)
        #expect(try Self.count(session.db, "SELECT count(*) FROM all_actions WHERE format = 'claude-hook' AND in_window = 0") == 1)
        #expect(try session.run().findings.isEmpty)
    }

    @Test("moving the window beyond the sessions the model holds rebuilds it for both")
    func windowBeyondTheModel() throws {
        // One session at 10:00, one at 10:50: further apart than the gap window (10 minutes) around a window.
        let lines = hv1Bash("s-early", 0, "c-1", "sudo systemctl restart nginx") + hv1Bash("s-late", 3000, "c-2", "sudo systemctl restart nginx")
            + hv1Bash("s-late", 3060, "c-3", "ls")
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let minute: Int64 = 60_000
        var options = CheckOptions(databasePath: database)
        options.rules = try CheckTestSupport.rules("high-risk-command")
        options.until = Self.start + 10 * minute
        let session = try CheckSession(options)
        #expect(try Self.count(session.db, "SELECT count(*) FROM all_actions") == 1)
        #expect(try session.run().findings.map(\.session) == ["s-early"])
        let late = (since: Self.start + 40 * minute, until: Self.start + 60 * minute)
        let result = try session.run(since: late.since, until: late.until)
        #expect(result.findings.map(\.session) == ["s-late"])
        #expect(result.actions == 2)
        #expect(try Self.count(session.db, "SELECT count(*) FROM all_actions") == 3)
        #expect(session.modelRange.contains(CheckSession.modelRange(for: nil, Self.start + 10 * minute)))
        #expect(session.modelRange.contains(CheckSession.modelRange(for: late.since, late.until)))
        // Back to the first window: the model holds it already, the same answer.
        #expect(try session.run(since: nil, until: Self.start + 10 * minute).findings.map(\.session) == ["s-early"])
    }

    @Test("a rule from outside the pack that reads all_actions gets every session whatever the window")
    func customRuleSeesAllSessions() throws {
        let lines = hv1Bash("s-early", 0, "c-1", "ls") + hv1Bash("s-late", 3000, "c-2", "ls")
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        var options = CheckOptions(databasePath: database)
        options.since = Self.start + 40 * 60_000
        var custom = try CheckTestSupport.rules("high-risk-command")[0]
        custom.builtIn = false
        #expect(custom.sql.contains("FROM actions a") && !custom.sql.contains("all_actions"))
        custom.sql = custom.sql.replacingOccurrences(of: "FROM actions a", with: "FROM ALL_ACTIONS a")
        options.rules = [custom]
        var session = try CheckSession(options)
        #expect(session.modelRange == .all)
        #expect(try Self.count(session.db, "SELECT count(*) FROM all_actions") == 2)
        // The tables behind `all_actions` count the same.
        var raw = custom
        raw.sql = "SELECT a.evidence, a.session_id, a.subject, 'x' AS reason FROM temp.actions_raw a WHERE 0"
        options.rules = [raw]
        #expect(try CheckSession(options).modelRange == .all)
        // The same rule reading only `actions`: the window's sessions are enough.
        custom.sql = custom.sql.replacingOccurrences(of: "FROM ALL_ACTIONS a", with: "FROM actions a")
        options.rules = [custom]
        session = try CheckSession(options)
        #expect(session.modelRange != .all)
        #expect(try Self.count(session.db, "SELECT count(*) FROM all_actions") == 1)
    }
}
