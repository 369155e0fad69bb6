import Yams

/// A team's policy (`harness-audit.yml`): every default of DESIGN §4 can be widened or
/// narrowed. Values never reach SQL as text: they configure the SQL functions rules call
/// (`ha_sensitive`, `ha_production`, `ha_protected`, `ha_outside_scope`) or are bound as
/// parameters, and authorizations are applied to findings after the rules ran.
public struct Baseline: Sendable {
    /// One authorization: findings of `category` (or of `rule`) are not raised when every given
    /// scope field matches (globs allowed).
    public struct Authorization: Sendable, Equatable {
        public var category: String?
        public var rule: String?
        public var agent: String?
        public var principal: String?
        public var repo: String?
        public var session: String?
        public var host: String?
        /// A target (context, namespace, host, path, command…) the authorization is limited to.
        public var target: String?
        public var reason: String?
        public var line: Int
    }

    public var sensitivePathsAdd: [String] = []
    public var sensitivePathsRemove: [String] = []
    public var productionTokens: [String] = ProductionDetector.defaultTokens
    public var productionNames: [String] = []
    public var notProduction: [String] = []
    public var protectedBranches: [String] = ProtectedBranches.defaultPatterns
    public var allowedWriteRoots: [String] = ["/tmp", "/private/tmp", "/var/tmp"]
    /// The line of each allowed write root in the file (empty for the built-in default).
    public var allowedWriteRootLines: [Int] = []
    /// Least privilege: the capabilities agents may exercise (`drift`, `baseline suggest`).
    public var allowed: [AllowedCapabilities] = []
    public var maxTokenLifetimeSeconds: Int64 = 3600
    public var agentPrincipals: [String] = []
    /// Kubernetes users never taken for agents, whatever their names say (a monitoring or CI vendor's account the
    /// built-in exceptions do not know); `agent_principals` wins over it.
    public var nonAgentPrincipals: [String] = []
    public var authorizations: [Authorization] = []
    public var severities: [String: Severity] = [:]
    public var disabledRules: [String] = []
    public var disabledCategories: [String] = []
    /// Every rule id or category the file names (severity, disabled_rules, authorized), with its
    /// line, so names that match no loaded rule are reported instead of silently ignored.
    public var ruleReferences: [(name: String, line: Int)] = []
    /// Names that must be rule ids (not categories): `disabled_rules`.
    public var ruleIDReferences: [(name: String, line: Int)] = []
    /// Where it came from (nil for the built-in default) and the SHA-256 of its bytes.
    public var file: String?
    public var sha256: String = "default"
    /// The file's text (empty for the built-in default).
    public var text: String = ""

    public init() {}

    /// Checks that every rule id or category the file names exists among `rules`.
    public func validateReferences(rules: [Rule]) throws(HarnessAuditError) {
        let known = Set(rules.map(\.id) + RuleMetadata.categories + DriftRules.all.map(\.id) + DriftRules.categories)
        for (name, line) in ruleReferences where !known.contains(name) {
            throw .invalidConfiguration(file: file ?? Baseline.defaultFileName, line: line, column: nil,
                                        message: "`\(name)` is neither a rule id nor a category (see `harness-audit rules list`)")
        }
        let ids = Set(rules.map(\.id) + DriftRules.all.map(\.id))
        for (name, line) in ruleIDReferences where !ids.contains(name) {
            throw .invalidConfiguration(file: file ?? Baseline.defaultFileName, line: line, column: nil,
                                        message: "`\(name)` is not a rule id; to disable a whole category use `disabled_categories`")
        }
    }

    /// The classification policy this baseline implies.
    public var classificationPolicy: ClassificationPolicy {
        var policy = ClassificationPolicy()
        let removed = Set(sensitivePathsRemove)
        policy.sensitivePaths = SensitivePaths(patterns: SensitivePaths.defaultPatterns.filter { !removed.contains($0) } + sensitivePathsAdd)
        policy.production = ProductionDetector(tokens: productionTokens, explicitNames: productionNames, excludedNames: notProduction)
        policy.protectedBranches = ProtectedBranches(patterns: protectedBranches)
        return policy
    }

    static let keys = ["version", "sensitive_paths", "production", "protected_branches", "allowed_write_roots",
                       "max_token_lifetime", "agent_principals", "non_agent_principals", "authorized", "allowed", "severity", "disabled_rules",
                       "disabled_categories"]

    /// Parses a baseline file.
    public static func parse(_ text: String, file: String) throws(HarnessAuditError) -> Baseline {
        let document = try YAMLDocument(text: text, file: file)
        var baseline = Baseline()
        baseline.file = file
        baseline.text = text
        baseline.sha256 = SHA256Digest.hex(SHA256Digest.digest(Array(text.utf8)))
        for (key, keyNode, value) in try document.rootMapping() {
            switch key {
            case "version":
                guard try document.string(value, what: "version") == "1" else { throw document.fail(value, "only version 1 is known") }
            case "sensitive_paths":
                for (sub, subKey, subValue) in try document.mapping(value, what: "sensitive_paths") {
                    switch sub {
                    case "add": baseline.sensitivePathsAdd = try document.strings(subValue, what: "sensitive_paths.add")
                    case "remove":
                        baseline.sensitivePathsRemove = try document.strings(subValue, what: "sensitive_paths.remove")
                        for pattern in baseline.sensitivePathsRemove where !SensitivePaths.defaultPatterns.contains(pattern) {
                            throw document.fail(subValue, "`\(pattern)` is not a default pattern (see `harness-audit baseline init`)")
                        }
                    default: throw document.unknownKey(sub, subKey, known: ["add", "remove"])
                    }
                }
            case "production":
                for (sub, subKey, subValue) in try document.mapping(value, what: "production") {
                    switch sub {
                    case "tokens":
                        baseline.productionTokens = try document.strings(subValue, what: "production.tokens")
                    case "add_tokens":
                        baseline.productionTokens += try document.strings(subValue, what: "production.add_tokens")
                    case "names", "contexts", "namespaces", "hosts", "clusters", "apps":
                        baseline.productionNames += try document.strings(subValue, what: "production.\(sub)")
                    case "not_production":
                        baseline.notProduction = try document.strings(subValue, what: "production.not_production")
                    default:
                        throw document.unknownKey(sub, subKey, known: ["tokens", "add_tokens", "names", "contexts", "namespaces",
                                                                        "hosts", "clusters", "apps", "not_production"])
                    }
                }
            case "protected_branches":
                baseline.protectedBranches = try document.strings(value, what: "protected_branches")
            case "allowed_write_roots":
                baseline.allowedWriteRoots = try document.strings(value, what: "allowed_write_roots")
                for root in baseline.allowedWriteRoots where !(root.hasPrefix("/") || root.hasPrefix("~")) {
                    throw document.fail(value, "allowed write root `\(root)` must be an absolute path or start with ~")
                }
                let items = value.sequence.map(Array.init) ?? []
                baseline.allowedWriteRootLines = baseline.allowedWriteRoots.indices.map { index in
                    index < items.count ? items[index].mark?.line ?? value.mark?.line ?? 1 : value.mark?.line ?? 1
                }
            case "allowed":
                for item in try document.sequence(value, what: "allowed") {
                    baseline.allowed.append(try AllowedCapabilities.parse(item, document: document))
                }
            case "max_token_lifetime":
                let text = try document.string(value, what: "max_token_lifetime")
                guard let seconds = ShellAnalyzer.durationSeconds(text), seconds > 0 else {
                    throw document.fail(value, "max_token_lifetime must be a duration such as 3600, 90m or 1h")
                }
                baseline.maxTokenLifetimeSeconds = seconds
            case "agent_principals":
                baseline.agentPrincipals = try document.strings(value, what: "agent_principals")
            case "non_agent_principals":
                baseline.nonAgentPrincipals = try document.strings(value, what: "non_agent_principals")
            case "authorized":
                for item in try document.sequence(value, what: "authorized") {
                    let entry = try authorization(item, document: document)
                    if let rule = entry.rule { baseline.ruleReferences.append((rule, entry.line)) }
                    baseline.authorizations.append(entry)
                }
            case "severity":
                for (name, nameNode, severityNode) in try document.mapping(value, what: "severity") {
                    let text = try document.string(severityNode, what: "severity of \(name)")
                    guard let severity = Severity(rawValue: text.lowercased()) else {
                        throw document.fail(severityNode, "unknown severity `\(text)` (one of: \(Severity.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    baseline.severities[name] = severity
                    baseline.ruleReferences.append((name, nameNode.mark?.line ?? 1))
                }
            case "disabled_rules":
                baseline.disabledRules = try document.strings(value, what: "disabled_rules")
                for (offset, item) in (value.sequence.map(Array.init) ?? []).enumerated() where offset < baseline.disabledRules.count {
                    baseline.ruleReferences.append((baseline.disabledRules[offset], item.mark?.line ?? value.mark?.line ?? 1))
                    baseline.ruleIDReferences.append((baseline.disabledRules[offset], item.mark?.line ?? value.mark?.line ?? 1))
                }
            case "disabled_categories":
                baseline.disabledCategories = try document.strings(value, what: "disabled_categories")
                let categories = RuleMetadata.categories + DriftRules.categories
                for category in baseline.disabledCategories where !categories.contains(category) {
                    throw document.fail(value, "unknown category `\(category)` (one of: \(categories.joined(separator: ", ")))")
                }
            default:
                throw document.unknownKey(key, keyNode, known: keys)
            }
        }
        return baseline
    }

    static func authorization(_ node: Node, document: YAMLDocument) throws(HarnessAuditError) -> Authorization {
        var entry = Authorization(line: node.mark?.line ?? 1)
        let known = ["category", "rule", "agent", "principal", "repo", "session", "host", "target", "reason"]
        for (key, keyNode, value) in try document.mapping(node, what: "an authorization") {
            let text = try document.string(value, what: key)
            switch key {
            case "category":
                let categories = RuleMetadata.categories + DriftRules.categories
                guard categories.contains(text) else {
                    throw document.fail(value, "unknown category `\(text)` (one of: \(categories.joined(separator: ", ")))")
                }
                entry.category = text
            case "rule": entry.rule = text
            case "agent": entry.agent = text
            case "principal": entry.principal = text
            case "repo": entry.repo = text
            case "session": entry.session = text
            case "host": entry.host = text
            case "target": entry.target = text
            case "reason": entry.reason = text
            default: throw document.unknownKey(key, keyNode, known: known)
            }
        }
        guard entry.category != nil || entry.rule != nil else {
            throw document.fail(node, "an authorization needs a `category` or a `rule`")
        }
        guard entry.agent != nil || entry.principal != nil || entry.repo != nil || entry.session != nil || entry.host != nil
                || entry.target != nil else {
            throw document.fail(node, "an authorization needs at least one of agent, principal, repo, session, host, target")
        }
        guard entry.reason?.isEmpty == false else { throw document.fail(node, "an authorization needs a `reason`") }
        return entry
    }

    /// Loads `--baseline FILE`, else `harness-audit.yml` in the current directory, else the default.
    public static func load(explicit: String?) throws(HarnessAuditError) -> Baseline {
        if let explicit { return try parse(try RuleLoader.readText(explicit), file: explicit) }
        // Only a missing ./harness-audit.yml means the built-in policy; an unreadable or invalid one is an error.
        guard OutputFile.exists(defaultFileName) else { return Baseline() }
        return try parse(try RuleLoader.readText(defaultFileName), file: defaultFileName)
    }

    public static let defaultFileName = "harness-audit.yml"

    /// The default baseline as a commented YAML file (`harness-audit baseline init`).
    public static var defaultText: String {
        func list(_ items: [String], indent: String = "  ") -> String {
            items.map { "\(indent)- \(JSONWriter.quoted($0))" }.joined(separator: "\n")
        }
        return """
        # harness-audit baseline: the team's policy. Every default of the built-in policy is listed
        # here; edit what your team decides differently. `harness-audit check` reads ./harness-audit.yml
        # or --baseline FILE.
        version: 1

        # Paths whose reading is a sensitive-read finding (gitignore-like patterns, last match wins:
        # no `/` = file name, leading `/` = absolute, `~/` = home, trailing `/` = directory, `!` excludes).
        # The defaults are listed for reference; add your own, or remove defaults by name.
        sensitive_paths:
          add: []
          remove: []
          # defaults:
        \(SensitivePaths.defaultPatterns.map { "  #   - \($0)" }.joined(separator: "\n"))

        # Production: a context, namespace, cluster, workspace, app, host or variable name is
        # production when one of its tokens is one of `tokens` (`prod-eu` yes, `product-catalog` no).
        production:
          tokens:
        \(list(ProductionDetector.defaultTokens, indent: "    "))
          # Names that are production whatever they are called (contexts, namespaces, clusters, hosts, apps).
          names: []
          # Names that are never production even if a token matches.
          not_production: []

        # A direct push to one of these is a merge (merge-without-approval); globs allowed.
        protected_branches:
        \(list(ProtectedBranches.defaultPatterns))

        # Writes here are in scope, besides the session's working directory and the harness's own
        # writable roots (Codex `writable_roots`).
        allowed_write_roots:
        \(list(["/tmp", "/private/tmp", "/var/tmp"]))

        # Tokens minted for longer than this are long-lived (the kubelet's 3607 s is excepted).
        max_token_lifetime: 1h

        # Kubernetes users that are AI agents. Service accounts whose name contains agent, ai, llm,
        # claude, codex, gemini, copilot, cursor, aider, devin or mcp, and principals named in harness
        # logs, count as agents already; a monitoring, security or CI vendor's "agent" (datadog-agent,
        # vault-agent-injector, gitlab-agent, ...) does not.
        agent_principals: []

        # Kubernetes users that are never agents, whatever their names say (globs allowed).
        non_agent_principals: []

        # Authorized contexts: findings of a category (or a rule) are not raised when every field given
        # matches (globs allowed). Fields: category | rule, agent, principal, repo, session, host,
        # target (a context, namespace, host, path or command the authorization is limited to), reason.
        authorized: []
        # - category: production-deploy
        #   agent: acme-agent
        #   repo: acme/ledger
        #   target: prod-eu
        #   reason: the release pipeline deploys the ledger

        # Least privilege: what agents may use, per agent, repo and principal (globs; omitted = any).
        # A kind an entry lists is declared: `harness-audit drift` reports what is used outside it as
        # permission-drift and what it lists but nobody used in the tracking period as unused-permission.
        # Kinds: tools, mcp_servers, commands (program + subcommand, or `k8s <verb> <resource>`),
        # sensitive_paths (patterns as above), secrets (names), hosts, namespaces, contexts, production,
        # modes, approval_policies, sandboxes (a setting allows every narrower one).
        # `harness-audit baseline suggest` writes this list from what agents really did.
        allowed: []
        # - agent: claude-code
        #   repo: acme/payments
        #   tools: [Bash, Read, Edit, Grep]
        #   commands: ["git push", "go test"]
        #   hosts: ["*.github.com"]
        #   modes: [accept_edits]

        # Severity per category or rule id (drift rules included).
        severity: {}
        # write-outside-scope: high

        # Rules that do not run (rule ids), and categories whose rules do not run.
        disabled_rules: []
        disabled_categories: []

        """
    }
}
