import Foundation
import Testing
@testable import HarnessAuditKit

@Suite("Time windows: `actions` read through an index, rules that order sessions unchanged by it")
struct WindowTests {
    static let start = Timestamp.parseISO8601("2026-11-02T10:00:00Z")!

    static func count(_ db: Database, _ sql: String) throws -> Int64 { try db.scalarInt(sql) ?? -1 }

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
}
