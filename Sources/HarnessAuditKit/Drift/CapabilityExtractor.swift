/// Derives the capabilities one action exercised from what the classifier stored at ingest:
/// its tool, its targets (command families, hosts, namespaces, contexts, paths, secrets), its
/// production verdict and the permission settings in force.
public struct CapabilityExtractor: Sendable {
    public var sensitivePaths: SensitivePaths

    public init(policy: ClassificationPolicy) {
        sensitivePaths = policy.sensitivePaths
    }

    /// What one action touched, as the store has it.
    public struct Action: Sendable {
        public var tool: String?
        public var classes: ActionClasses = []
        public var targets: String?
        public var production: String?
        public var isKubernetes = false
        public var mode: String?
        public var approvalPolicy: String?
        public var sandbox: String?
        public var cwd: String?

        public init() {}
    }

    /// The capabilities of `action`, and the paths it wrote or deleted (for write roots).
    public func capabilities(of action: Action) -> (capabilities: [Capability], writes: [String]) {
        capabilities(of: action, targets: Classification.storedTargets(action.targets))
    }

    /// The names one harness gave one tool across its versions, as one capability: Codex's shell tool was
    /// The shell builtins that only change the shell itself (its directory, variables, options) or print: their command
    /// family is no capability. (`source`, `eval`, `exec`, `trap` run something, and `echo`, `printf` write what they are
    /// given: they stay.)
    static let shellBuiltins: Set<String> = [
        "cd", "pushd", "popd", "dirs", "export", "unset", "set", "shopt", "alias", "unalias", "local", "declare", "typeset",
        "readonly", "true", "false", ":", "test", "[", "[[", "shift", "wait", "exit", "return", "pwd",
        "umask", "ulimit", "hash", "type", "command", "builtin", "let", "read", "sleep",
    ]

    /// `shell` (an argv), then `shell_command` (a string), `exec_command` (unified exec) and `local_shell`, and
    /// a fleet that upgrades in the middle of a period did not gain a tool.
    static func toolCapability(_ tool: String) -> String {
        switch tool {
        case "shell_command", "exec_command", "local_shell", "container.exec", "unified_exec": return "shell"
        default: return tool
        }
    }

    /// Claude Code's sub-agent tool was `Task` until it was renamed `Agent` (`Task` stays an alias): one tool for
    /// Claude Code's scopes (another harness's `Task` is its own tool).
    static func claudeToolCapability(_ capability: Capability) -> Capability {
        capability.kind == .tool && capability.value == "Task" ? Capability(.tool, "Agent") : capability
    }

    /// The same, with the action's stored targets parsed already.
    func capabilities(of action: Action, targets: [(kind: String, value: String, op: String?)]) -> (capabilities: [Capability], writes: [String]) {
        var found: [Capability] = []
        var writes: [String] = []
        func add(_ kind: CapabilityKind, _ value: String) {
            let value = value.trimmingSpaces
            guard !value.isEmpty else { return }
            let capability = Capability(kind, value)
            if !found.contains(capability) { found.append(capability) }
        }
        // (Claude Code's OTel names every MCP call `mcp_tool`, the server and tool in its parameters: that placeholder is
        // no tool a setting can name; the server, found below, is the capability.)
        if let tool = action.tool, !tool.isEmpty, !action.isKubernetes, tool != "mcp_tool" {
            add(.tool, CapabilityExtractor.toolCapability(tool))
            if let server = CapabilityExtractor.mcpServer(ofTool: tool) { add(.mcpServer, server) }
        }
        let home = PathNormalizer.inferHome(from: action.cwd)
        for (kind, value, operation) in targets {
            switch kind {
            case "command":
                if value.hasPrefix("mcp ") {
                    add(.mcpServer, String(value.dropFirst(4)))
                } else if action.isKubernetes || value != action.tool && !CapabilityExtractor.shellBuiltins.contains(value) {
                    // Other tools' family is their own name (`Read`), a tool capability already. A shell's own builtins
                    // (`cd`, `export`, `set`) reach nothing: no capability to gain or lose.
                    add(.command, value)
                }
            case "resource" where value.hasPrefix("mcp server "):
                add(.mcpServer, String(value.dropFirst("mcp server ".count)))
            case "host":
                add(.host, value.lowercased())
            case "namespace":
                add(.namespace, value)
            case "context", "cluster":
                add(.context, value)
            case "secret" where action.classes.contains(.sensitiveRead) && value != "secret":
                // (`secret` alone is an environment dump: its command family says which.)
                // The tool that read it (`vault kv get`) is a command family already.
                if value != action.tool && !value.contains(" ") || value.hasPrefix("cloud metadata ") { add(.secret, value) }
            case "path":
                if action.classes.contains(.sensitiveRead), operation != "write", operation != "delete",
                   let pattern = sensitivePattern(value, home: home) {
                    add(.sensitivePath, pattern)
                }
                if operation == "write" || operation == "delete"
                    || (operation == nil && !action.classes.isDisjoint(with: [.write, .delete])) {
                    writes.append(value)
                }
            default:
                break
            }
        }
        for name in CapabilityExtractor.productionNames(action.production) { add(.production, name) }
        if let mode = action.mode, mode != "unknown" { add(.mode, mode) }
        if let approval = action.approvalPolicy { add(.approvalPolicy, approval) }
        if let sandbox = action.sandbox { add(.sandbox, sandbox) }
        return (found, writes)
    }

    /// The sensitive-path pattern a path matches (absolute, `~/…` or a bare name).
    func sensitivePattern(_ path: String, home: String?) -> String? {
        if path == "~" || path.hasPrefix("~/") { return sensitivePaths.match(path, home: "~") }
        return sensitivePaths.match(path, home: path.hasPrefix("/") ? PathNormalizer.inferHome(from: path) ?? home : home)
    }

    /// The names in the store's production verdict (`kubectl context prod-eu (prod); environment
    /// production (production)` → `prod-eu`, `production`; `terraform -chdir=envs/prod (prod)` → `envs/prod`).
    static func productionNames(_ verdict: String?) -> [String] {
        guard let verdict, !verdict.isEmpty else { return [] }
        var names: [String] = []
        for part in verdict.split(separator: ";") {
            var text = part.trimmingSpaces
            if text.hasSuffix(")"), let open = text.lastIndex(of: "(") { text = String(text[..<open]).trimmingSpaces }
            guard var name = text.split(separator: " ").last.map(String.init) else { continue }
            if let equals = name.firstIndex(of: "="), name.hasPrefix("-") { name = String(name[name.index(after: equals)...]) }
            if !name.isEmpty && !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The MCP server of a Claude Code tool name: `mcp__github__merge_pull_request` → `github`,
    /// `mcp__plugin_acme_db__query` → `plugin_acme_db`.
    public static func mcpServer(ofTool tool: String) -> String? {
        guard tool.hasPrefix("mcp__") else { return nil }
        let rest = tool.dropFirst(5)
        guard let end = rest.range(ofASCII: "__") else { return rest.isEmpty ? nil : String(rest) }
        let server = rest[..<end.lowerBound]
        return server.isEmpty ? nil : String(server)
    }
}
