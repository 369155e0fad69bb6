/// Runs rules against their fixtures (`harness-audit rules test`): each fixture is ingested
/// into a fresh temporary store exactly as a user's logs would be, then the rule runs alone
/// under the default baseline.
///
/// - A positive fixture passes when the rule raises a finding in every session the fixture
///   holds (each session is one example), or, for rules whose findings have no session
///   (whole-file problems), when it raises at least one finding.
/// - A negative fixture passes when the rule raises nothing.
public enum RuleTester {
    public enum Kind: String, Sendable { case positive, negative }

    public struct Outcome: Sendable {
        public var rule: String
        public var kind: Kind
        public var fixture: String?
        public var passed: Bool
        public var message: String
        public var findings: [Finding]
        /// Sessions in the fixture (name → format), for coverage.
        public var sessions: [String: String]
        /// Lines of the fixture the ingest rejected.
        public var rejectedLines: Int64
    }

    /// Tests every given rule's fixtures; a rule without a fixture of a kind fails for that kind.
    public static func run(_ rules: [Rule], baseline: Baseline = Baseline()) throws(HarnessAuditError) -> [Outcome] {
        var outcomes: [Outcome] = []
        for rule in rules {
            for kind in [Kind.positive, .negative] {
                outcomes.append(try test(rule, kind: kind, baseline: baseline))
            }
        }
        return outcomes
    }

    public static func test(_ rule: Rule, kind: Kind, baseline: Baseline = Baseline()) throws(HarnessAuditError) -> Outcome {
        guard let fixture = kind == .positive ? rule.positiveFixture : rule.negativeFixture else {
            return Outcome(rule: rule.id, kind: kind, fixture: nil, passed: false,
                           message: "no \(kind.rawValue) fixture (\(rule.id).\(kind.rawValue).jsonl beside the rule)",
                           findings: [], sessions: [:], rejectedLines: 0)
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let logPath = directory.path + "/" + fixture.fileName
        try OutputFile.write(bytes: fixture.bytes, to: logPath)
        let databasePath = directory.path + "/store.sqlite"
        let summary = try Ingestor(options: IngestOptions(databasePath: databasePath)).run(paths: [logPath])
        var options = CheckOptions(databasePath: databasePath)
        options.rules = [rule]
        options.baseline = baseline
        let result = try CheckEngine.run(options)
        let findings = (result.findings + result.authorized + result.waived).map { finding -> Finding in
            var copy = finding
            copy.evidence = copy.evidence.map { item in
                var item = item
                item.file = fixture.fileName
                return item
            }
            return copy
        }
        let db = try Database(path: databasePath, access: .readOnly)
        var sessions: [String: String] = [:]
        for row in try db.rows("SELECT s.name, min(e.format) FROM sessions s JOIN events e ON e.session_id = s.id GROUP BY s.id") {
            if let name = row[0].text, let code = row[1].int64 {
                sessions[name] = LogFormat(rawValue: Int(code))?.id ?? "?"
            }
        }
        let rejected = summary.rejectedLines
        var outcome = Outcome(rule: rule.id, kind: kind, fixture: fixture.fileName, passed: true, message: "",
                              findings: findings, sessions: sessions, rejectedLines: rejected)
        let events = try db.rows("SELECT count(*) FROM events").first?[0].int64 ?? 0
        if events == 0 {
            outcome.passed = false
            outcome.message = "the fixture holds no readable event (\(rejected) line\(rejected == 1 ? "" : "s") rejected): it tests nothing"
            return outcome
        }
        switch kind {
        case .positive:
            let raised = Set(findings.compactMap(\.session))
            let silent = sessions.keys.filter { !raised.contains($0) }.sorted()
            if findings.isEmpty {
                outcome.passed = false
                outcome.message = "raised no finding"
            } else if findings.contains(where: { $0.session == nil }) || silent.isEmpty {
                outcome.message = "\(findings.count) finding\(findings.count == 1 ? "" : "s") in \(raised.count) session\(raised.count == 1 ? "" : "s")"
            } else {
                outcome.passed = false
                outcome.message = "raised nothing in session\(silent.count == 1 ? "" : "s") "
                    + silent.map { "\($0) (\(sessions[$0] ?? "?"))" }.joined(separator: ", ")
            }
        case .negative:
            if findings.isEmpty {
                outcome.message = "no finding in \(sessions.count) session\(sessions.count == 1 ? "" : "s")"
            } else {
                outcome.passed = false
                outcome.message = "raised \(findings.count) finding\(findings.count == 1 ? "" : "s"): "
                    + findings.prefix(3).map { "\($0.reason) (\($0.evidence.first.map { "line \($0.line)" } ?? "no line"))" }.joined(separator: "; ")
            }
        }
        return outcome
    }
}
