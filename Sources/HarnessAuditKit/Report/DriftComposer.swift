/// Lays out `drift`'s result as report blocks: the section the monthly report includes, and
/// the whole of `drift --format markdown`. Tables are cut at `limit` rows, saying how many more.
public enum DriftComposer {
    /// The whole document of `drift --format markdown`.
    public static func document(_ drift: DriftResult, failOn: Severity?) -> ReportDocument {
        var document = ReportDocument(title: "Permission drift: \(drift.current.title) against \(drift.previous.title)")
        document.heading(1, document.title)
        section(drift, level: 2, limit: nil, failOn: failOn, into: &document)
        return document
    }

    /// The drift section, its headings at `level`.
    public static func section(_ drift: DriftResult, level: Int, limit: Int?, failOn: Severity?, into document: inout ReportDocument) {
        let result = drift.result
        func count(_ category: String) -> Int { result.findings.filter { $0.category == category }.count }
        let failing = failOn.map { threshold in result.findings.filter { $0.severity >= threshold }.count } ?? 0
        var summary: [ReportDocument.Inline] = [.literal(
            "\(drift.current.title) compared with \(drift.previous.title): \(drift.newCount) new capabilit\(drift.newCount == 1 ? "y" : "ies") "
                + "and \(drift.vanishedCount) vanished across \(Format.count(drift.scopes.count, "agent scope")); "
                + "\(count("permission-drift")) permission-drift, \(count("config-drift")) config-drift and "
                + "\(count("unused-permission")) unused-permission findings")]
        if let failOn { summary.append(.literal(failing > 0 ? ", \(failing) at or above \(failOn.rawValue)." : ", none at or above \(failOn.rawValue).")) } else {
            summary.append(.literal("."))
        }
        document.append(.paragraph(summary))
        document.append(.paragraph([.literal(
            "A capability is a tool, MCP server, command family (program and subcommand), secret read, network host, namespace or "
                + "context, production target, or permission setting, per agent, repository and principal. It drifts when it is outside "
                + "the baseline's "), .code("allowed"), .literal(" list for that kind, or, where the baseline lists none, when the previous period did not "
                + "use it. Unused permissions: allowances, authorizations and agents' own grants nothing exercised in the "
                + "\(drift.trackingDays) days from \(Timestamp.formatDate(drift.trackingSince)) to \(Timestamp.formatDate(drift.trackingUntil - 1))"
                + (drift.dataFirst.map { $0 > drift.trackingSince ? " (the store's data starts \(Timestamp.formatDate($0)))" : "" } ?? "")
                + ".")]))
        if drift.currentActions == 0 {
            document.append(.paragraph([.strong([.literal("No activity in \(drift.current.title)")]), .literal(
                ": the store holds no action that ran in this period; check the period and what was ingested.")]))
        }
        if !drift.previousHasData {
            document.append(.paragraph([.strong([.literal("No activity in \(drift.previous.title)")]), .literal(
                ": nothing to compare with, so only the baseline's "), .code("allowed"), .literal(" lists can raise permission drift.")]))
        }

        let newRows = drift.scopes.flatMap { scope in scope.new.map { (scope.scope, $0) } }
        document.heading(level, "New capabilities")
        if newRows.isEmpty {
            document.paragraph(.literal(drift.previousHasData ? "None: every capability used was used in the previous period." : "Not compared."))
        } else {
            table(newRows, limit: limit, result: result, into: &document)
        }
        let outsideRows = drift.scopes.flatMap { scope in scope.outside.map { (scope.scope, $0) } }
        if !outsideRows.isEmpty {
            document.heading(level, "Outside the baseline, not new")
            table(outsideRows, limit: limit, result: result, into: &document)
        }
        let vanished = drift.scopes.flatMap { scope in scope.vanished.map { (scope.scope, $0) } }
        document.heading(level, "Vanished capabilities")
        if vanished.isEmpty {
            document.paragraph(.literal(drift.previousHasData ? "None." : "Not compared."))
        } else {
            var rows: [[[ReportDocument.Inline]]] = []
            for (scope, use) in vanished.prefix(limit ?? Int.max) {
                rows.append(scopeCells(scope) + [[.literal(use.capability.kind.noun)], [.code(use.capability.value)],
                                                  [.literal(Format.grouped(use.actions))],
                                                  [.literal(use.lastTs.map(Timestamp.formatDate) ?? "–")]])
            }
            document.append(.table(header: ["Agent", "Repository", "Principal", "Kind", "Capability", "Actions before", "Last used"],
                                   alignments: [.left, .left, .left, .left, .left, .right, .left], rows: rows))
            more(vanished.count, limit: limit, into: &document)
        }
        findingsTable("Configuration drift", result.findings.filter { $0.category == "config-drift" }, level: level, limit: limit,
                      empty: drift.previousHasData
                        ? "No session widened its permissions against its agent's norm beyond the new settings listed above (any findings they raised are listed there, or by the check)."
                        : "Not compared.",
                      into: &document)
        findingsTable("Unused permissions", result.findings.filter { $0.category == "unused-permission" }, level: level, limit: limit,
                      empty: "Every allowance and grant was used in the tracking period.", into: &document)
    }

    static func scopeCells(_ scope: CapabilityScope) -> [[ReportDocument.Inline]] {
        [scope.agent, scope.repo, scope.principal].map { $0.isEmpty ? [.literal("–")] : [.text($0)] }
    }

    /// Capabilities that raised findings first, most severe first; then the others, by scope.
    static func table(_ rows: [(CapabilityScope, DriftResult.Use)], limit: Int?, result: CheckResult, into document: inout ReportDocument) {
        let severity = Dictionary(result.findings.map { ($0.id, $0.severity.rank) }, uniquingKeysWith: max)
        let ordered = rows.enumerated().sorted { a, b in
            let (x, y) = (a.element.1.findingID.flatMap { severity[$0] } ?? -1, b.element.1.findingID.flatMap { severity[$0] } ?? -1)
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
        var cells: [[[ReportDocument.Inline]]] = []
        for (scope, use) in ordered.prefix(limit ?? Int.max) {
            let status: [ReportDocument.Inline]
            if let id = use.findingID, let finding = result.findings.first(where: { $0.id == id }) {
                status = [.strong([.literal(finding.severity.rawValue)]), .literal(" "), .code(finding.rule)]
            } else {
                status = [.literal(use.covered ?? "–")]
            }
            cells.append(scopeCells(scope) + [
                [.literal(use.capability.kind.noun)], [.code(use.capability.value)], [.literal(Format.grouped(use.actions))],
                [.literal(Format.grouped(use.sessions))], use.firstSessions.isEmpty ? [.literal("–")] : [.code(use.firstSessions[0])], status,
            ])
        }
        document.append(.table(header: ["Agent", "Repository", "Principal", "Kind", "Capability", "Actions", "Sessions", "First session", "Status"],
                               alignments: [.left, .left, .left, .left, .left, .right, .right, .left, .left], rows: cells))
        more(rows.count, limit: limit, into: &document)
    }

    static func findingsTable(_ title: String, _ findings: [Finding], level: Int, limit: Int?, empty: String,
                              into document: inout ReportDocument) {
        document.heading(level, title)
        guard !findings.isEmpty else {
            document.paragraph(.literal(empty))
            return
        }
        var rows: [[[ReportDocument.Inline]]] = []
        for finding in findings.prefix(limit ?? Int.max) {
            let evidence = finding.evidence.first.map { "\($0.file):\($0.line)" } ?? "–"
            rows.append([[.literal(finding.severity.rawValue)], [.code(finding.rule)], [.text(finding.reason)], [.code(evidence)], [.code(finding.id)]])
        }
        document.append(.table(header: ["Severity", "Rule", "Finding", "Evidence", "Id"], alignments: [.left, .left, .left, .left, .left], rows: rows))
        more(findings.count, limit: limit, into: &document)
    }

    static func more(_ total: Int, limit: Int?, into document: inout ReportDocument) {
        guard let limit, total > limit else { return }
        document.paragraph(.emphasis([.literal("… and \(total - limit) more: "), .code("harness-audit drift"), .literal(" lists them all.")]))
    }
}
