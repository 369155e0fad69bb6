import Foundation
import Testing
@testable import HarnessAuditKit

/// The pieces that make `check` fast must not change what it finds: the C-level SQL functions, the
/// aggregate that folds an action's events, and the caches in front of redaction and path matching.
@Suite("Check machinery: fast functions and caches keep their meaning")
struct CheckMachineryTests {
    static func connection() throws -> Database {
        let db = try Database(path: ":memory:", access: .memory)
        try Schema.migrate(db)
        try CheckEngine.registerFunctions(db, baseline: Baseline())
        return db
    }

    static func value(_ db: Database, _ sql: String) throws -> SQLValue {
        try db.rows(sql).first?.first ?? .null
    }

    @Test("ha_has tests a class by name; unknown names and NULL classes are 0",
          arguments: [("ha_has(1, 'delete')", Int64(1)), ("ha_has(2, 'delete')", 0), ("ha_has(3, 'write')", 1),
                      ("ha_has(1024, 'test')", 1), ("ha_has(1024, 'tests')", 0), ("ha_has(NULL, 'delete')", 0),
                      ("ha_has(1, NULL)", 0), ("ha_has(-1, 'obfuscated')", 1), ("ha_has(16383, 'obfuscated')", 0)])
    func hasClass(_ expression: String, _ expected: Int64) throws {
        #expect(try Self.value(Self.connection(), "SELECT " + expression) == .integer(expected))
    }

    @Test("ha_flag tests an event flag by name")
    func flags() throws {
        let db = try Self.connection()
        let mismatch = EventFlags.chainMismatch.rawValue
        #expect(try Self.value(db, "SELECT ha_flag(\(mismatch), 'chain_mismatch')") == .integer(1))
        #expect(try Self.value(db, "SELECT ha_flag(\(mismatch), 'chain_verified')") == .integer(0))
        #expect(try Self.value(db, "SELECT ha_flag(\(mismatch), 'no_such_flag')") == .integer(0))
    }

    @Test("ha_format, ha_kind and ha_mode name every code and give NULL for unknown codes")
    func codeNames() throws {
        let db = try Self.connection()
        for format in LogFormat.allCases {
            #expect(try Self.value(db, "SELECT ha_format(\(format.rawValue))") == .text(format.id))
        }
        for kind in EventKind.allCases {
            #expect(try Self.value(db, "SELECT ha_kind(\(kind.rawValue))") == .text(kind.name))
        }
        for mode in PermissionMode.allCases {
            #expect(try Self.value(db, "SELECT ha_mode(\(mode.rawValue))") == .text(mode.name))
        }
        for call in ["ha_format(999)", "ha_kind(-1)", "ha_mode(NULL)", "ha_format(NULL)"] {
            #expect(try Self.value(db, "SELECT " + call) == .null, "\(call)")
        }
    }

    @Test("an action's facts: each bit set by the events that say it, and only by them")
    func actionFacts() {
        typealias A = ActionAggregates
        func facts(_ kind: EventKind, format: LogFormat = .harnessV1, decision: Decision? = nil, source: DecisionSource? = nil,
                   approver: Bool = false, outcome: Outcome? = nil) -> Set<A.Fact> {
            let bits = A.facts(kind: Int64(kind.rawValue), format: Int64(format.rawValue), decision: decision.map { Int64($0.rawValue) },
                               decisionSource: source.map { Int64($0.rawValue) }, hasApprover: approver,
                               outcome: outcome.map { Int64($0.rawValue) })
            return Set(A.Fact.allCases.filter { bits & $0.rawValue != 0 })
        }
        #expect(facts(.toolCall) == [.hasCall])
        #expect(facts(.toolResult, outcome: .success) == [.hasResult, .outcomeSuccess])
        #expect(facts(.toolResult, outcome: .failure) == [.hasResult, .outcomeFailure])
        #expect(facts(.toolCall, outcome: .denied) == [.hasCall, .outcomeDenied])
        // An outcome on a decision event is the decision, not what happened to the call.
        #expect(facts(.permissionDecision, decision: .deny, outcome: .denied) == [.hasDecision, .deniedDecision])
        #expect(facts(.permissionDecision, decision: .allow, source: .user) == [.hasDecision, .userAllowed])
        #expect(facts(.permissionDecision, decision: .allow, source: .hook) == [.hasDecision, .otherAllowed])
        #expect(facts(.permissionDecision, decision: .allow) == [.hasDecision])
        #expect(facts(.permissionRequest, format: .claudeHook) == [.hasRequest, .dialogShown])
        // Kubernetes "requests" are API calls, not permission dialogs.
        #expect(facts(.permissionRequest, format: .k8sAudit) == [])
        #expect(facts(.toolCall, approver: true) == [.hasCall, .approved])
    }

    @Test("ha_prefer_call keeps the call's value, else the largest of all; NULLs never count")
    func preferCall() throws {
        let db = try Self.connection()
        try db.execute("CREATE TABLE t(g, is_call, v)")
        try db.execute("""
            INSERT INTO t VALUES (1, 0, 9), (1, 1, 3), (1, 0, NULL),
                                 (2, 0, 4), (2, 0, 7),
                                 (3, 1, NULL), (3, 0, 5),
                                 (4, 0, NULL)
            """)
        let rows = try db.rows("SELECT g, ha_prefer_call(is_call, v) FROM t GROUP BY g ORDER BY g")
        #expect(rows.map { $0[1] } == [.integer(3), .integer(7), .integer(5), .null])
    }

    @Test("redacting a check result through the memo gives exactly what redacting each finding gives")
    func memoizedRedaction() {
        var findings: [Finding] = []
        for index in 0..<50 {
            var finding = Finding(id: String(format: "%016x", index), rule: "r", title: "t", category: "sensitive-read",
                                  severity: .high, reason: "Ran: DB_PASSWORD=hunter\(index % 3)x ./deploy", session: "s-\(index % 4)",
                                  ts: nil, evidence: [], agent: "a", actor: "alice@corp.com", principal: nil, host: "h",
                                  repo: "acme/app", target: "https://u:pw\(index % 5)secret@h/x",
                                  command: index % 2 == 0 ? "curl -H 'Authorization: Bearer abcdef123456' h" : "ls")
            finding.details = ["read: token=abc\(index % 7)def"]
            findings.append(finding)
        }
        var result = CheckResult()
        result.findings = findings
        let memoized = result.redacted(Redactor())
        let oneByOne = findings.map { $0.redacted(Redactor()) }
        #expect(memoized.findings.map(\.reason) == oneByOne.map(\.reason))
        #expect(memoized.findings.map(\.command) == oneByOne.map(\.command))
        #expect(memoized.findings.map(\.target) == oneByOne.map(\.target))
        #expect(memoized.findings.map(\.details) == oneByOne.map(\.details))
        #expect(!memoized.findings.contains { ($0.command ?? "").contains("abcdef123456") || $0.reason.contains("hunter") })
    }

    @Test("the verdict cache answers like the function it fronts, and starts over when full")
    func verdictCache() {
        let cache = VerdictCache(capacity: 3)
        var calls = 0
        func ask(_ key: String) -> String? {
            cache.value(for: key) { key in
                calls += 1
                return key.hasSuffix(".env") ? "*.env" : nil
            }
        }
        #expect(ask("/a/.env") == "*.env")
        #expect(ask("/a/main.go") == nil)
        #expect(ask("/a/.env") == "*.env")
        #expect(ask("/a/main.go") == nil)
        #expect(calls == 2)
        for name in ["x", "y", "z", "w"] { _ = ask(name) }
        #expect(ask("/a/.env") == "*.env")
        #expect(calls == 7)
    }
}
