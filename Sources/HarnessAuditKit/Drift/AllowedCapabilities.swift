import Yams

/// One entry of a baseline's `allowed` list: the capabilities a scope (agent, repository,
/// principal; globs, all given must match, omitted = any) may exercise. A kind the entry lists
/// is *declared*: capabilities of that kind outside the list are `permission-drift`, and listed
/// values never exercised in the tracking period are `unused-permission`. A kind no matching
/// entry lists falls back to the previous period: only what is new drifts.
///
///     allowed:
///       - agent: claude-code
///         repo: acme/payments
///         tools: [Bash, Read, Edit, "mcp__github__*"]
///         commands: ["git push", "go test", "kubectl get"]
///         hosts: ["*.github.com"]
///         modes: [default, accept_edits]
public struct AllowedCapabilities: Sendable, Equatable {
    public var agent: String?
    public var repo: String?
    public var principal: String?
    /// The patterns of each declared kind, each with its line in the file.
    public var lists: [CapabilityKind: [Pattern]] = [:]
    public var reason: String?
    public var line: Int

    public struct Pattern: Sendable, Equatable {
        public var text: String
        public var line: Int
    }

    public init(agent: String? = nil, repo: String? = nil, principal: String? = nil, line: Int = 0) {
        self.agent = agent
        self.repo = repo
        self.principal = principal
        self.line = line
    }

    /// Whether the entry's scope fields all match `scope` (omitted fields match anything).
    public func applies(to scope: CapabilityScope) -> Bool {
        func ok(_ pattern: String?, _ value: String) -> Bool {
            guard let pattern else { return true }
            return pattern == value || (!value.isEmpty && GlobPattern.matchesName(pattern, value))
        }
        return ok(agent, scope.agent) && ok(repo.map(CapabilityScope.normalizedRepo), scope.repo) && ok(principal, scope.principal)
    }

    /// Whether `pattern` allows `value` of `kind`: equal, a glob match, or for settings a
    /// setting at least as wide.
    public static func allows(_ pattern: String, _ value: String, kind: CapabilityKind) -> Bool {
        if pattern == value { return true }
        // A tool listed by any of its names (`exec_command`) allows it (`shell`).
        if kind == .tool, CapabilityExtractor.toolCapability(pattern) == value { return true }
        if kind.isSetting {
            let granted = kind.rank(pattern), used = kind.rank(value)
            return granted < 9 && used <= granted
        }
        if kind == .host || kind == .mcpServer { return GlobPattern(pattern.lowercased()).matches(value.lowercased()) }
        // `git *` allows every git subcommand, and `git` alone.
        if kind == .command, pattern.hasSuffix(" *"), value == String(pattern.dropLast(2)) { return true }
        return GlobPattern(pattern).matches(value)
    }

    static let scopeKeys = ["agent", "repo", "principal", "reason"]

    /// Parses one entry of `allowed`.
    static func parse(_ node: Node, document: YAMLDocument) throws(HarnessAuditError) -> AllowedCapabilities {
        var entry = AllowedCapabilities(line: node.mark?.line ?? 1)
        let known = scopeKeys + CapabilityKind.allCases.map(\.baselineKey)
        for (key, keyNode, value) in try document.mapping(node, what: "an allowed entry") {
            switch key {
            case "agent": entry.agent = try document.string(value, what: key)
            case "repo": entry.repo = try document.string(value, what: key)
            case "principal": entry.principal = try document.string(value, what: key)
            case "reason": entry.reason = try document.string(value, what: key)
            default:
                guard let kind = CapabilityKind.forBaselineKey(key) else { throw document.unknownKey(key, keyNode, known: known) }
                let texts = try document.strings(value, what: "allowed.\(key)")
                let items = value.sequence.map(Array.init) ?? []
                var patterns: [Pattern] = []
                for (offset, text) in texts.enumerated() {
                    let line = offset < items.count ? items[offset].mark?.line ?? keyNode.mark?.line ?? entry.line : keyNode.mark?.line ?? entry.line
                    if text.trimmingSpaces.isEmpty { throw document.fail(value, "allowed.\(key) holds an empty value") }
                    if kind.isSetting, kind.rank(text) == 9 {
                        throw document.fail(value, "`\(text)` is not a known \(kind.noun) (see `harness-audit baseline init`)")
                    }
                    patterns.append(Pattern(text: text, line: line))
                }
                entry.lists[kind] = patterns
            }
        }
        guard !entry.lists.isEmpty else {
            throw document.fail(node, "an allowed entry lists at least one of: \(CapabilityKind.allCases.map(\.baselineKey).joined(separator: ", "))")
        }
        return entry
    }
}
