/// The harness settings equivalent to a suggested baseline, for a team to paste: Claude Code
/// `permissions` (allow, ask, deny, defaultMode) and Codex `config.toml` (approval policy,
/// sandbox, writable roots, network, MCP servers). Activity that raised findings becomes `ask`
/// (deletes, deploys, merges, schema changes, remote shells) or `deny` (secrets, high-risk
/// commands, privilege and credential changes) instead of `allow`.
enum HarnessSettingsSnippets {
    typealias Usage = [CapabilityScope: [Capability: DriftScan.Accumulator]]

    static let denyClasses: ActionClasses = [.sensitiveRead, .highRisk, .privilege, .credential]

    /// A general-purpose reader (`cat`, `grep`, `cp`, `tar`) flagged only for the secrets it read: the `Read(…)` deny of
    /// those paths is the rule; denying the program would block every file it reads.
    static func readsAnything(_ family: String, _ classes: ActionClasses) -> Bool {
        let program = String(family.prefix { $0 != " " })
        return classes.isDisjoint(with: [.highRisk, .privilege, .credential])
            && (ShellAnalyzer.readers.contains(program) || ["cp", "grep", "rg", "tar", "rsync", "scp", "find", "ls", "base64", "xxd",
                                                            "zip", "strings", "awk", "sed"].contains(program))
    }
    static let askClasses: ActionClasses = [.delete, .deploy, .merge, .schema, .remoteExec]
    static let shellTools: Set<String> = ["Bash", "PowerShell"]

    static func claude(_ usage: Usage) -> String? {
        let scopes = usage.filter { $0.key.agent.lowercased().contains("claude") }
        guard !scopes.isEmpty else { return nil }
        var allow = Set<String>(), ask = Set<String>(), deny = Set<String>()
        var modeCounts: [String: Int] = [:]
        for (_, capabilities) in scopes {
            for (capability, use) in capabilities {
                let clean = use.flagged < use.actions
                switch capability.kind {
                // A bare `WebFetch` would allow every domain: its rules are the hosts fetched (`WebFetch(domain:…)`, below).
                case .tool where capability.value == "WebFetch":
                    break
                case .tool where !shellTools.contains(capability.value) && CapabilityExtractor.mcpServer(ofTool: capability.value) == nil:
                    if clean { allow.insert(capability.value) }
                case .mcpServer:
                    if clean { allow.insert("mcp__" + capability.value) }
                // Only families run through the shell tool: a `Bash(…)` rule governs nothing an audit log's request did.
                case .command where use.shelled:
                    // Needed and never flagged: allow, unless risky (drift rates it so): ask. Needed and sometimes
                    // flagged: ask. Only ever flagged: deny what reads secrets or escalates, ask the rest; a program
                    // only ever flagged beside others in one command line (`sort` in `env | sort`) is asked, not
                    // denied: the verdict was the line's, not necessarily its.
                    let rule = "Bash(\(capability.value) *)"
                    if use.flagged == 0 {
                        if use.classes.isDisjoint(with: CheckEngine.riskyClasses) { allow.insert(rule) } else { ask.insert(rule) }
                    } else if clean || use.classes.isDisjoint(with: denyClasses) || use.flaggedAlone == 0
                                || HarnessSettingsSnippets.readsAnything(capability.value, use.classes) {
                        ask.insert(rule)
                    } else {
                        deny.insert(rule)
                    }
                case .sensitivePath where use.flagged > 0:
                    deny.insert("Read(\(readPattern(capability.value)))")
                // Only the hosts WebFetch reached: one reached by `curl` or `git` needs no WebFetch rule.
                case .host where use.fetched && clean:
                    allow.insert("WebFetch(domain:\(capability.value))")
                case .mode where clean:
                    // The commonest mode that keeps approvals on and is not the classifier's `auto`.
                    if [.default, .acceptEdits, .plan].contains(PermissionMode.normalize(capability.value)) {
                        modeCounts[claudeMode(capability.value), default: 0] += use.actions - use.flagged
                    }
                default:
                    break
                }
            }
        }
        // Across agents: a rule any of them was flagged for is asked, never allowed outright; one needed is never denied.
        deny.subtract(allow)
        deny.subtract(ask)
        ask.formUnion(allow.intersection(ask))
        allow.subtract(ask)
        func list(_ items: Set<String>) -> String {
            items.isEmpty ? "[]" : "[\n" + items.sorted().map { "      " + JSONWriter.quoted($0) }.joined(separator: ",\n") + "\n    ]"
        }
        var lines = ["{", "  \"permissions\": {", "    \"allow\": " + list(allow) + ",", "    \"ask\": " + list(ask) + ",",
                     "    \"deny\": " + list(deny) + ","]
        let mode = modeCounts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? "default"
        lines.append("    \"defaultMode\": " + JSONWriter.quoted(mode) + ",")
        lines.append("    \"disableBypassPermissionsMode\": \"disable\"")
        lines.append("  }")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func claudeMode(_ mode: String) -> String {
        switch PermissionMode.normalize(mode) {
        case .acceptEdits: return "acceptEdits"
        case .plan: return "plan"
        case .auto: return "auto"
        case .dontAsk: return "dontAsk"
        default: return "default"
        }
    }

    /// A sensitive-path pattern as a Claude Code `Read` specifier (gitignore-like, `//` absolute).
    static func readPattern(_ pattern: String) -> String {
        if pattern.hasPrefix("~/") { return pattern.hasSuffix("/") ? pattern + "**" : pattern }
        if pattern.hasPrefix("/") { return "/" + pattern + (pattern.hasSuffix("/") ? "**" : "") }
        if pattern.hasSuffix("/") { return "**/" + pattern + "**" }
        return "**/" + pattern
    }

    static func codex(_ usage: Usage, grants: [AgentGrant: DriftScan.GrantRecord], lastWrite: [CapabilityScope: [String: Int64]],
                      since: Int64) -> String? {
        let scopes = usage.filter { $0.key.agent.lowercased().contains("codex") }
        guard !scopes.isEmpty else { return nil }
        var approval: String?, sandbox: String?, network = false, servers = Set<String>()
        for (_, capabilities) in scopes {
            for (capability, use) in capabilities where use.flagged < use.actions {
                switch capability.kind {
                case .approvalPolicy where CapabilityKind.approvalPolicy.rank(capability.value) < 4:
                    if CapabilityKind.approvalPolicy.rank(capability.value) > (approval.map { CapabilityKind.approvalPolicy.rank($0) } ?? -1) {
                        approval = capability.value
                    }
                case .sandbox where CapabilityKind.sandbox.rank(capability.value) < 4:
                    if CapabilityKind.sandbox.rank(capability.value) > (sandbox.map { CapabilityKind.sandbox.rank($0) } ?? -1) {
                        sandbox = capability.value
                    }
                case .host: network = true
                case .mcpServer: servers.insert(capability.value)
                default: break
                }
            }
        }
        var roots = Set<String>(), unusedServers = Set<String>()
        for (grant, _) in grants where scopes[grant.scope] != nil || grant.scope.agent.lowercased().contains("codex") {
            switch grant.kind {
            case .writableRoot:
                if (DriftScan.lastWrite(in: lastWrite[grant.scope] ?? [:], under: grant.value) ?? Int64.min) >= since { roots.insert(grant.value) }
            case .mcpServer where !servers.contains(grant.value):
                unusedServers.insert(grant.value)
            default:
                break
            }
        }
        // `on-failure` runs everything unasked until a command fails, and Codex deprecates it: `on-request` asks when the
        // agent needs more than the sandbox allows, which is what the activity shows it used.
        var replaced: String?
        if let used = approval, CapabilityKind.approvalPolicy.rank(used) == 2 {
            replaced = used
            approval = "on-request"
        }
        var lines = replaced.map { ["# approval policy used: \($0) (deprecated, runs commands unasked); on-request is enough"] } ?? []
        lines += ["approval_policy = " + JSONWriter.quoted(approval ?? "on-request"),
                     "sandbox_mode = " + JSONWriter.quoted(sandbox ?? "workspace-write"), "",
                     "[sandbox_workspace_write]",
                     "writable_roots = [" + roots.sorted().map(JSONWriter.quoted).joined(separator: ", ") + "]",
                     "network_access = \(network)"]
        if !servers.isEmpty { lines.append("# MCP servers used: " + servers.sorted().joined(separator: ", ")) }
        for server in unusedServers.sorted() { lines.append("# never called: remove [mcp_servers.\(server)]") }
        return lines.joined(separator: "\n") + "\n"
    }
}
