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
        out += changes.isEmpty ? "  no changes from the built-in policy\n" : changes.map { "  - \($0)\n" }.joined()
        return out
    }
}
