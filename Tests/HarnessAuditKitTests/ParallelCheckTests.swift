import Foundation
import Testing
@testable import HarnessAuditKit

/// `check` folds events into actions on several connections at once, keeps the model in a private
/// scratch database, and evaluates rules on several read-only connections: none of it may change
/// what it finds, what the model holds, or which snapshot of the store it reads.
@Suite("Parallel check: the fold and the rules on several connections find exactly what one finds")
struct ParallelCheckTests {
    /// Every action of a session's model, all columns, in action order.
    static func model(_ session: CheckSession) throws -> [[SQLValue]] {
        try session.db.rows("SELECT * FROM all_actions ORDER BY action_id")
    }

    static func options(_ database: String, rules: Int, fold: Int) -> CheckOptions {
        var options = CheckOptions(databasePath: database)
        options.baseline = Baseline()
        options.ruleConnections = rules
        options.foldConnections = fold
        return options
    }

    @Test("one connection, or the fold shared by two or three and the rules by two or four: the same model, findings and figures, over all time and in windows")
    func sameResults() throws {
        let (database, directory) = try WindowTests.everything()
        defer { TestSupport.cleanup(directory) }
        let single = try CheckSession(Self.options(database, rules: 1, fold: 1))
        let reference = try single.run()
        let referenceModel = try Self.model(single)
        #expect(referenceModel.count > 100)
        #expect(reference.findings.count > 50, "the fixtures must raise findings for the comparison to mean anything")
        let window = (since: Timestamp.parseISO8601("2026-10-28T00:00:00Z")!, until: Timestamp.parseISO8601("2026-11-10T00:00:00Z")!)
        let windowReference = try single.run(since: window.since, until: window.until)
        #expect(!windowReference.findings.isEmpty && windowReference.findings.count < reference.findings.count)

        for (rules, fold) in [(2, 2), (4, 3), (1, 3), (3, 1)] {
            let session = try CheckSession(Self.options(database, rules: rules, fold: fold))
            #expect(try Self.model(session) == referenceModel, "fold on \(fold) connections")
            let result = try session.run()
            #expect(result.findings == reference.findings, "rules on \(rules) connections, fold on \(fold)")
            #expect(result.actions == reference.actions && result.riskyActions == reference.riskyActions
                    && result.confirmedRiskyActions == reference.confirmedRiskyActions
                    && result.blockedAttempts == reference.blockedAttempts && result.undatedActions == reference.undatedActions)
            let windowed = try session.run(since: window.since, until: window.until)
            #expect(windowed.findings == windowReference.findings, "window, rules on \(rules) connections, fold on \(fold)")
            #expect(windowed.actions == windowReference.actions)
        }
        // A model folded for a window only (its sessions), shared among three connections.
        var options = Self.options(database, rules: 2, fold: 3)
        options.since = window.since
        options.until = window.until
        #expect(try CheckSession(options).run().findings == windowReference.findings)
    }

    @Test("rules that read the store's own tables run on the check's connection; rules that read only the model may run on any")
    func placement() throws {
        let (database, directory) = try CheckTestSupport.store(hv1Bash("s-1", 0, "c-1", "ls"))
        defer { TestSupport.cleanup(directory) }
        let session = try CheckSession(CheckOptions(databasePath: database))
        let portable = try session.portableRules()
        let byRule = Dictionary(uniqueKeysWithValues: zip(session.rules.map(\.id), portable))
        #expect(byRule.count == 20)
        for rule in ["seq-gap", "hash-chain-broken", "mode-loosened-to-bypass", "rejected-lines", "partial-source"] {
            #expect(byRule[rule] == false, "\(rule) reads events, sources or rejected lines")
        }
        for rule in ["untested-change", "sensitive-read", "approval-bypass-mode", "k8s-without-harness-record", "unconfirmed-delete"] {
            #expect(byRule[rule] == true, "\(rule) reads only the model")
        }
    }

    @Test("the tables a statement reads: views expanded to the tables behind them, JSON's table functions named as such")
    func tablesRead() throws {
        let db = try Database(path: ":memory:", access: .memory)
        try db.execute("CREATE TABLE t(a, b); CREATE TABLE u(c); CREATE TEMP VIEW v AS SELECT a FROM main.t")
        let reads = try db.tablesRead("SELECT v.a, (SELECT count(*) FROM u), j.value FROM v, json_each('[1]') j")
        #expect(Set(reads.map { $0.schema + "." + $0.table }).isSuperset(of: ["main.t", "main.u", "main.json_each"]))
        #expect(!reads.contains { $0.table == "v" && $0.schema != "temp" })
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
        let reference = try CheckSession(options).run()
        #expect(!reference.findings.isEmpty)

        let session = try CheckSession(options)
        TestSupport.write(hv1Bash("s-2", 30, "c-9", "rm -rf /srv/data").joined(separator: "\n") + "\n", to: directory + "/later.jsonl")
        #expect(try TestSupport.ingest([directory + "/later.jsonl"], database: database).eventsAdded == 2)
        let result = try session.run()
        #expect(session.ruleConnections == 1, "connections opened after the ingest read another snapshot")
        #expect(result.findings == reference.findings)
        // Opened before anything changes, they are kept.
        let fresh = try CheckSession(options)
        _ = try fresh.run()
        #expect(fresh.ruleConnections == 3)
    }

    @Test("the scratch database is private to the user and removed when the check ends")
    func scratchIsPrivateAndRemoved() throws {
        let (database, directory) = try CheckTestSupport.store(hv1Bash("s-1", 0, "c-1", "cat ~/.aws/credentials"))
        defer { TestSupport.cleanup(directory) }
        var scratch = ""
        do {
            let session = try CheckSession(CheckOptions(databasePath: database))
            _ = try session.run()
            scratch = session.scratch.directory.path
            var info = stat()
            #expect(stat(scratch, &info) == 0 && info.st_mode & 0o777 == 0o700)
            #expect(stat(session.scratch.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        }
        #expect(!FileManager.default.fileExists(atPath: scratch))
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
        var options = CheckOptions(databasePath: database)
        options.foldConnections = 2
        options.ruleConnections = 2
        let result = try CheckEngine.run(options)
        #expect(result.actions == 1)
        #expect(result.findings.contains { $0.rule == "unconfirmed-delete" })
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
