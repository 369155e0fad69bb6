/// Summarises a baseline: what it changes from the built-in policy (`baseline validate`).
public enum BaselineRenderer {
    public static func summary(_ baseline: Baseline) -> String {
        let defaults = Baseline()
        var out = "\(baseline.file ?? "built-in default"): valid (sha256 \(baseline.sha256.prefix(12)))\n"
        var changes: [String] = []
        if !baseline.sensitivePathsAdd.isEmpty { changes.append("sensitive paths added: \(baseline.sensitivePathsAdd.joined(separator: ", "))") }
        if !baseline.sensitivePathsRemove.isEmpty { changes.append("sensitive paths removed: \(baseline.sensitivePathsRemove.joined(separator: ", "))") }
        if baseline.productionTokens != defaults.productionTokens { changes.append("production tokens: \(baseline.productionTokens.joined(separator: ", "))") }
        if !baseline.productionNames.isEmpty { changes.append("production names: \(baseline.productionNames.joined(separator: ", "))") }
        if !baseline.notProduction.isEmpty { changes.append("never production: \(baseline.notProduction.joined(separator: ", "))") }
        if baseline.protectedBranches != defaults.protectedBranches { changes.append("protected branches: \(baseline.protectedBranches.joined(separator: ", "))") }
        if baseline.allowedWriteRoots != defaults.allowedWriteRoots { changes.append("allowed write roots: \(baseline.allowedWriteRoots.joined(separator: ", "))") }
        if baseline.maxTokenLifetimeSeconds != defaults.maxTokenLifetimeSeconds { changes.append("maximum token lifetime: \(baseline.maxTokenLifetimeSeconds) s") }
        if !baseline.agentPrincipals.isEmpty { changes.append("agent principals: \(baseline.agentPrincipals.joined(separator: ", "))") }
        if !baseline.nonAgentPrincipals.isEmpty { changes.append("never agents: \(baseline.nonAgentPrincipals.joined(separator: ", "))") }
        for authorization in baseline.authorizations {
            var scope: [String] = []
            for (name, value) in [("agent", authorization.agent), ("principal", authorization.principal), ("repo", authorization.repo),
                                  ("session", authorization.session), ("host", authorization.host), ("target", authorization.target)] {
                if let value { scope.append("\(name) \(value)") }
            }
            changes.append("authorizes \(authorization.rule ?? authorization.category ?? "?") for \(scope.joined(separator: ", ")) (line \(authorization.line)): \(authorization.reason ?? "")")
        }
        for (name, severity) in baseline.severities.sorted(by: { $0.key < $1.key }) { changes.append("severity of \(name): \(severity.rawValue)") }
        if !baseline.disabledRules.isEmpty { changes.append("disabled rules: \(baseline.disabledRules.joined(separator: ", "))") }
        if !baseline.disabledCategories.isEmpty { changes.append("disabled categories: \(baseline.disabledCategories.joined(separator: ", "))") }
        for entry in baseline.allowed {
            let scope = [entry.agent.map { "agent \($0)" }, entry.repo.map { "repo \($0)" }, entry.principal.map { "principal \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            let kinds = entry.lists.keys.sorted().map { "\($0.baselineKey) (\(entry.lists[$0]?.count ?? 0))" }.joined(separator: ", ")
            changes.append("allows \(scope.isEmpty ? "every agent" : scope) (line \(entry.line)): \(kinds)")
        }
        out += changes.isEmpty ? "  no changes from the built-in policy\n" : changes.map { "  - \($0)\n" }.joined()
        return out
    }

    /// What `baseline suggest` prints: where the file went, the recommended-versus-current
    /// comparison, other recommendations, and the harness settings to paste.
    public static func suggestion(_ suggestion: BaselineSuggestion, file: String?) -> String {
        var out = "Suggested baseline for \(suggestion.period.title)"
        out += file.map { " written to \($0)" } ?? ""
        out += ": \(suggestion.entries.count) allowed entr\(suggestion.entries.count == 1 ? "y" : "ies") from "
        out += "\(Format.count(suggestion.actions, "action"))\n"
        out += "\nRecommended versus current (= kept, + to add, * the current baseline does not list this kind, - unused):\n"
        var lastScope = ""
        for change in suggestion.changes where change.kind != .removed {
            if change.scope != lastScope {
                out += "  \(change.scope)\n"
                lastScope = change.scope
            }
            out += "    \(change.kind.rawValue) \(change.capability.baselineKey): \(change.value)"
            out += change.line.map { " (line \($0))" } ?? ""
            if change.kind != .kept, BaselineSuggester.isSecretValue(change.value) { out += " (left out of the file: a secret)" }
            out += "\n"
        }
        let removed = suggestion.changes.filter { $0.kind == .removed }
        if !removed.isEmpty {
            out += "  allowed by the current baseline, used by nothing in the period:\n"
            for change in removed {
                out += "    - \(change.capability.baselineKey): \(change.value) (\(change.scope)\(change.line.map { ", line \($0)" } ?? ""))\n"
            }
        }
        let listed = Set(suggestion.changes.map(\.scope))
        for entry in suggestion.entries where !listed.contains(entry.scope.title) {
            out += "  \(entry.scope.title)\n    allows nothing: all its activity raised findings\n"
        }
        if suggestion.entries.isEmpty { out += "  no activity in the period\n" }
        for note in suggestion.notes { out += "  note: \(note)\n" }
        if let claude = suggestion.claudeSettings {
            out += "\nClaude Code (.claude/settings.json or managed settings):\n" + claude
        }
        if let codex = suggestion.codexConfig {
            out += "\nCodex (~/.codex/config.toml):\n" + codex
        }
        return out
    }
}
