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
                   approver: Bool = false, outcome: Outcome? = nil, flags: EventFlags = []) -> Set<A.Fact> {
            let bits = A.facts(kind: Int64(kind.rawValue), format: Int64(format.rawValue), decision: decision.map { Int64($0.rawValue) },
                               decisionSource: source.map { Int64($0.rawValue) }, hasApprover: approver,
                               outcome: outcome.map { Int64($0.rawValue) }, flags: flags.rawValue)
            return Set(A.Fact.allCases.filter { bits & $0.rawValue != 0 })
        }
        // Sources in any case and separators; one named but unknown is not a person; none named is none.
        #expect(["AutomatedReviewer", "automated-reviewer", "guardian", "something-new"].allSatisfy { DecisionSource.normalize($0) == .auto })
        #expect(DecisionSource.normalize("User") == .user && DecisionSource.normalize("user_temporary") == .user)
        #expect(DecisionSource.normalize("") == nil && DecisionSource.known("something-new") == nil)
        // An approval inferred from the policy is a person's unless a record says something else approved the call.
        let inferred = facts(.toolResult, decision: .allow, source: .user, outcome: .success, flags: .decisionInferred)
        #expect(inferred == [.hasResult, .outcomeSuccess, .inferredAllowed])
        let bits = { (set: Set<A.Fact>) in set.reduce(Int64(0)) { $0 | $1.rawValue } }
        #expect(A.resolved(bits(inferred)) & A.Fact.userAllowed.rawValue != 0)
        let reviewed = inferred.union(facts(.permissionDecision, decision: .allow, source: .auto))
        #expect(A.resolved(bits(reviewed)) & A.Fact.userAllowed.rawValue == 0)
        // An approver beside a source that is no person's approved nothing a person confirmed.
        #expect(facts(.toolCall, decision: .allow, source: .auto, approver: true) == [.hasCall, .otherAllowed])
        #expect(facts(.toolCall, decision: .allow, source: .user, approver: true) == [.hasCall, .userAllowed, .approved])
        #expect(facts(.toolCall, approver: true) == [.hasCall, .approved])
        // A person's stated denial of the call: the inferred approval was no one's.
        let denied = inferred.union(facts(.permissionDecision, decision: .deny, source: .user))
        #expect(A.resolved(bits(denied)) & A.Fact.userAllowed.rawValue == 0)
        #expect(A.resolved(bits(facts(.permissionDecision, decision: .allow, source: .user).union(reviewed))) & A.Fact.userAllowed.rawValue != 0,
                "a stated approval by a person stays one")
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

    /// Targets of every shape the rules meet: several of a kind, escapes, relative, home and Windows paths,
    /// pseudo-files, upper-case temporary directories, secrets, a target with no op, an empty list.
    static let targetLists: [String?] = [
        #"[{"kind":"path","value":"/home/bob/app/.env","op":"read"},{"kind":"path","value":"/home/bob/app/main.go","op":"read"},{"kind":"command","value":"cat"}]"#,
        #"[{"kind":"path","value":"/home/bob/app/src/a.ts","op":"write"},{"kind":"path","value":"/etc/hosts","op":"write"},{"kind":"path","value":"/tmp/x","op":"delete"}]"#,
        #"[{"kind":"path","value":"notes.md","op":"write"},{"kind":"path","value":"~/.bashrc","op":"write"},{"kind":"path","value":"/TMP/y","op":"delete"}]"#,
        #"[{"kind":"path","value":"/dev/null","op":"write"},{"kind":"path","value":"/proc/self/fd/1","op":"write"},{"kind":"path","value":"/var/tmp/z","op":"write"}]"#,
        #"[{"kind":"path","value":"C:/Users/bob/.ssh/id_rsa","op":"copy"},{"kind":"path","value":"/home/bob/.aws/credentials","op":"upload"}]"#,
        #"[{"kind":"path","value":"/home/bob/app/we\"ird, \u00e9.txt","op":"write"},{"kind":"secret","value":"GITHUB_TOKEN"}]"#,
        #"[{"kind":"path","value":"/home/bob/other/x.py","op":"write"},{"kind":"path","value":"/home/bob/app-old/y.py","op":"delete"}]"#,
        #"[{"kind":"path","value":"/home/bob/app/out.txt"},{"kind":"branch","value":"main","op":"push"}]"#,
        "[]", nil,
    ]

    @Test("ha_targets selects what the json_each form it replaces selects, in the same order",
          arguments: [("'path'", "'read,copy,upload'", "sensitive"), ("'path'", "'write,delete'", "outside"),
                      ("'path'", "'write'", "outside"), ("'path'", "'write,delete'", "workspace"), ("'path'", "NULL", nil),
                      ("NULL", "'push'", nil), ("'path,secret'", "NULL", nil)] as [(String, String, String?)])
    func targetSelection(kinds: String, ops: String, test: String?) throws {
        let db = try Self.connection()
        func kindTest(_ list: String) -> String {
            list == "NULL" ? "1" : "t.value ->> 'kind' IN (\(list.split(separator: ",").joined(separator: "', '")))"
        }
        func opTest(_ list: String) -> String {
            list == "NULL" ? "1" : "t.value ->> 'op' IN (\(list.split(separator: ",").joined(separator: "', '")))"
        }
        let value = "t.value ->> 'value'"
        let predicate: String
        switch test {
        case "sensitive": predicate = "ha_sensitive(\(value)) IS NOT NULL"
        case "outside": predicate = "ha_outside_scope(\(value), :dir, NULL, :roots) = 1"
        case "workspace":
            predicate = """
                CASE WHEN :dir IS NOT NULL THEN ha_inside(\(value), :dir) = 1 OR \(value) NOT LIKE '/%' AND \(value) NOT LIKE '~%'
                     ELSE \(value) NOT LIKE '/tmp/%' AND \(value) NOT LIKE '/var/tmp/%' AND \(value) NOT LIKE '/dev/%'
                          AND \(value) NOT LIKE '/proc/%' END
                """
        default: predicate = "1"
        }
        let reference = try db.prepare("""
            SELECT (SELECT group_concat(\(value), ', ') FROM json_each(:targets) t
                    WHERE \(kindTest(kinds)) AND \(opTest(ops)) AND \(predicate)),
                   ha_targets(:targets, \(kinds), \(ops)\(test.map { ", '\($0)', :dir, :roots" } ?? ""))
            """)
        var compared = 0
        for targets in Self.targetLists {
            for directory in ["/home/bob/app", "C:/Users/bob/app", nil] as [String?] {
                for roots in [nil, "/etc\n/home/bob/other"] as [String?] {
                    reference.reset()
                    for (name, bound) in [(":targets", SQLValue.optional(targets)), (":dir", .optional(directory)), (":roots", .optional(roots))] {
                        if let index = reference.parameterIndex(name) { try reference.bind(index, bound) }
                    }
                    #expect(try reference.step())
                    #expect(reference.text(1) == reference.text(0), "\(targets ?? "NULL") in \(directory ?? "NULL"), roots \(roots ?? "NULL")")
                    if reference.text(0) != nil { compared += 1 }
                }
            }
        }
        #expect(compared > 0)
    }

    @Test("ha_targets refuses an unknown test and a wrong number of arguments, naming itself")
    func targetSelectionErrors() throws {
        let db = try Self.connection()
        #expect(try Self.value(db, #"SELECT ha_targets('[{"kind":"path","value":"/a","op":"read"}]', 'path', 'read')"#) == .text("/a"))
        #expect(try Self.value(db, #"SELECT ha_targets('[{"kind":"path","value":"/a","op":"read"}]', 'path', 'write')"#) == .null)
        #expect(try Self.value(db, "SELECT ha_targets('not json', 'path', NULL)") == .null)
        for call in ["ha_targets('[]', 'path', 'read', 'secret')", "ha_targets('[]', 'path')",
                     "ha_targets('[]', 'path', 'read', 'outside', '/a', NULL, 1)"] {
            do {
                _ = try Self.value(db, "SELECT " + call)
                Issue.record("\(call) ran")
            } catch {
                #expect("\(error)".contains("ha_targets"), "\(error)")
            }
        }
    }

    @Test("evidence lists each line once, whichever of its records came first; the others' events are kept apart")
    func evidenceByLine() {
        let items = [Evidence(file: "b.jsonl", line: 1, sourceID: 2, eventID: 9), Evidence(file: "a.jsonl", line: 4, sourceID: 1, eventID: 7),
                     Evidence(file: "a.jsonl", line: 4, sourceID: 1, eventID: 5), Evidence(file: "a.jsonl", line: 2, sourceID: 1, eventID: 3),
                     Evidence(file: "a.jsonl", line: 4, sourceID: 1, eventID: 6), Evidence(file: "c.jsonl", line: 7, sourceID: 3, eventID: nil)]
        for order in [items, items.reversed()] {
            let (evidence, others) = Evidence.byLine(order)
            #expect(evidence.map { "\($0.file):\($0.line):\($0.eventID ?? 0)" } == ["a.jsonl:2:3", "a.jsonl:4:5", "b.jsonl:1:9", "c.jsonl:7:0"])
            #expect(others == [6, 7])
        }
    }

    @Test("the memo answers like the function it fronts, and starts over when full")
    func verdictCache() {
        let cache = BoundedMemo<String?>(capacity: 3)
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

/// A result stores what it repeats of its call once, on the call (store size), and nothing a rule
/// sees changes.
@Suite("Store: a result's repeat of its call is stored once")
struct ResultDeduplicationTests {
    @Test("a PostToolUse that repeats its PreToolUse keeps its classes but not the repeated targets, command and attributes")
    func repeatedInput() throws {
        let lines = CheckTestSupport.hookLines(tools: [("Bash", #"{"command":"rm -rf /home/alice/app/build"}"#)])
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let rows = try TestSupport.query(database, "SELECT kind, classes, targets, command, attrs FROM events WHERE kind IN (4, 5) ORDER BY kind")
        #expect(rows.count == 2)
        let call = rows[0], result = rows[1]
        #expect(call[2].text?.contains("/home/alice/app/build") == true)
        #expect(call[3].text == "rm -rf /home/alice/app/build")
        #expect(result[1] == call[1])
        #expect(result[2] == .null && result[3] == .null)
        // The finding still names the deleted path and the command.
        let check = try CheckTestSupport.check(database, rules: CheckTestSupport.rules("unconfirmed-delete"))
        #expect(check.findings.count == 1)
        #expect(check.findings.first?.command == "rm -rf /home/alice/app/build")
        #expect(check.findings.first?.targets.contains("/home/alice/app/build") == true)
    }

    @Test("a PostToolUse whose PreToolUse was not logged keeps everything")
    func resultAlone() throws {
        let lines = CheckTestSupport.hookLines(tools: [("Bash", #"{"command":"rm -rf /home/alice/app/build"}"#)])
        let (database, directory) = try CheckTestSupport.store([lines[1]])
        defer { TestSupport.cleanup(directory) }
        let rows = try TestSupport.query(database, "SELECT targets, command FROM events WHERE kind = 5")
        #expect(rows.count == 1)
        #expect(rows.first?[0].text?.contains("/home/alice/app/build") == true)
        #expect(rows.first?[1].text == "rm -rf /home/alice/app/build")
        let check = try CheckTestSupport.check(database, rules: CheckTestSupport.rules("unconfirmed-delete"))
        #expect(check.findings.count == 1)
    }

    @Test("a result whose input differs from its call's keeps its own targets")
    func differentInput() throws {
        var lines = CheckTestSupport.hookLines(tools: [("Bash", #"{"command":"ls"}"#)])
        lines[1] = lines[1].replacingOccurrences(of: #"{"command":"ls"}"#, with: #"{"command":"rm -rf /home/alice/app/dist"}"#)
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let rows = try TestSupport.query(database, "SELECT targets, command FROM events WHERE kind = 5")
        #expect(rows.first?[0].text?.contains("/home/alice/app/dist") == true)
        #expect(rows.first?[1].text == "rm -rf /home/alice/app/dist")
    }

    @Test("only a result whose call is among the last 256 calls gives up what it repeats")
    func boundedMemory() throws {
        let tools = (0..<300).map { ("Bash", #"{"command":"rm -rf /home/alice/app/build\#($0)"}"#) }
        let all = CheckTestSupport.hookLines(tools: tools)
        let calls = stride(from: 0, to: all.count, by: 2).map { all[$0] }
        // Results of the oldest call (299 calls back) and of the newest.
        let lines = calls + [all[1], all[599]]
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let rows = try TestSupport.query(database, "SELECT call_id, targets IS NULL FROM events WHERE kind = 5 ORDER BY call_id")
        #expect(rows.map { $0[0].text ?? "" } == ["toolu_0", "toolu_299"])
        #expect(rows.map { $0[1] } == [.integer(0), .integer(1)])
    }

    @Test("trailing elements are recognised only at element boundaries",
          arguments: [
            (#"[{"kind":"command","value":"Edit"}]"#, #"[{"kind":"path","value":"/a","op":"write"},{"kind":"command","value":"Edit"}]"#, true),
            (#"[{"kind":"command","value":"Edit"}]"#, #"[{"kind":"command","value":"Edit"}]"#, false),
            (#"[{"kind":"command","value":"Edit"}]"#, #"[{"kind":"path","value":"/a","op":"write"},{"kind":"command","value":"MultiEdit"}]"#, false),
            (#"[{"kind":"command","value":"dit"}]"#, #"[{"kind":"command","value":"Edit"}]"#, false),
            (#"[]"#, #"[{"kind":"command","value":"Edit"}]"#, false),
          ])
    func trailing(_ part: String, _ whole: String, _ expected: Bool) {
        #expect(DecodingState.isTrailingElements(part, of: whole) == expected)
    }
}

@Suite("Caches and fast functions: exact inputs")
struct ExactInputTests {
    @Test("the C functions read only exact integers, as the Swift ones did",
          arguments: [("ha_has(1.0, 'delete')", SQLValue.integer(1)), ("ha_has(1.5, 'delete')", .integer(0)),
                      ("ha_has('1', 'delete')", .integer(1)), ("ha_has('x', 'delete')", .integer(0)),
                      ("ha_mode(5.7)", .null), ("ha_mode('abc')", .null), ("ha_format(1.0)", .text("harness-v1"))])
    func exactIntegers(_ expression: String, _ expected: SQLValue) throws {
        #expect(try CheckMachineryTests.value(CheckMachineryTests.connection(), "SELECT " + expression) == expected)
    }

    @Test("caches tell composed from decomposed text apart")
    func canonicalEquivalents() {
        let composed = "/srv/caf\u{E9}.env", decomposed = "/srv/cafe\u{301}.env"
        #expect(composed == decomposed)  // Swift's String equality: canonical equivalence
        let cache = BoundedMemo<String?>()
        #expect(cache.value(for: composed) { _ in "composed" } == "composed")
        #expect(cache.value(for: decomposed) { _ in "decomposed" } == "decomposed")
        #expect(cache.value(for: composed) { _ in "again" } == "composed")
    }
}

@Suite("Rule output does not depend on storage order")
struct StorageOrderTests {
    static func k8s(_ auditID: String, _ second: Int, verb: String, resource: String) -> String {
        #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"\#(auditID)","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/payments/\#(resource)","verb":"\#(verb)","user":{"username":"system:serviceaccount:ci:agent-runner"},"objectRef":{"resource":"\#(resource)","namespace":"payments","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-11-02T10:00:\#(String(format: "%02d", second)).000000Z","stageTimestamp":"2026-11-02T10:00:\#(String(format: "%02d", second)).010000Z"}"#
    }

    @Test("requests without a harness record are listed in the order they were made, whatever their audit ids")
    func k8sRequestsInTimeOrder() throws {
        // The file lists the later request first, and the audit ids sort opposite to time: neither
        // storage order (by event id or by call id) is the order the requests were made in.
        let lines = [Self.k8s("aa-second", 5, verb: "delete", resource: "secrets"), Self.k8s("zz-first", 1, verb: "get", resource: "pods")]
            + hv1Bash("s-1", 30, "c-1", "ls")
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let result = try CheckTestSupport.check(database, rules: CheckTestSupport.rules("k8s-without-harness-record"))
        let reason = try #require(result.findings.first?.reason)
        let first = try #require(reason.range(of: "get pods"))
        let second = try #require(reason.range(of: "delete secrets"))
        #expect(first.lowerBound < second.lowerBound, "\(reason)")
    }
}
