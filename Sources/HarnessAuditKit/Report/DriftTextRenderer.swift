/// Renders `drift` for a terminal: the capabilities new, outside the baseline and vanished per
/// scope, then the findings as `check` shows them.
public enum DriftTextRenderer {
    public static func render(_ drift: DriftResult, options: FindingsRenderOptions) -> String {
        func clean(_ text: String) -> String { TerminalText.sanitize(text) }
        var out = "harness-audit drift: \(drift.current.title) against \(drift.previous.title)"
        out += " · tracking period \(drift.trackingDays) days from \(Timestamp.formatDate(drift.trackingSince))\n"
        out += "  \(Format.count(drift.currentActions, "action")) that ran (blocked attempts exercise nothing), \(Format.grouped(drift.previousActions)) in the period before · "
        out += "\(drift.newCount) new capabilit\(drift.newCount == 1 ? "y" : "ies"), \(drift.vanishedCount) vanished\n"
        if drift.currentActions == 0 {
            out += "  no activity in \(drift.current.title): the store holds no action that ran in it (check the period and what was ingested)\n"
        }
        if !drift.previousHasData {
            out += "  no activity in \(drift.previous.title): only the baseline's allowed lists can raise permission drift\n"
        }
        if drift.newCount + drift.vanishedCount + drift.scopes.reduce(0, { $0 + $1.outside.count }) > 0 {
            out += "  + new since \(drift.previous.title) · ! outside the baseline's allowed list, not new · - vanished;\n"
            out += "    after ·: the finding raised, or why none was (allowed by a baseline line, used before by the scope or its\n"
            out += "    agent, already reported by check, waived, authorized)\n"
        }
        for changes in drift.scopes where !changes.new.isEmpty || !changes.vanished.isEmpty || !changes.outside.isEmpty {
            out += "\n" + clean(changes.scope.title) + (changes.firstActive && drift.previousHasData ? " (first active this period)" : "") + "\n"
            for (label, uses) in [("+", changes.new), ("!", changes.outside), ("-", changes.vanished)] {
                for use in uses {
                    var line = "  \(label) \(use.capability.kind.noun) \(clean(use.capability.value))"
                    line += " — \(Format.count(use.actions, "action")), \(Format.count(use.sessions, "session"))"
                    if label != "-" {
                        if let id = use.findingID, let finding = drift.result.findings.first(where: { $0.id == id }) {
                            line += " · \(finding.severity.rawValue) \(finding.rule)"
                        } else if let covered = use.covered {
                            line += " · " + clean(covered)
                        }
                    }
                    out += line + "\n"
                }
            }
        }
        out += "\n"
        var findingsOptions = options
        findingsOptions.command = "drift"
        out += FindingsTextRenderer.render(drift.result, options: findingsOptions)
        return out
    }
}
