/// The kinds of capability an agent exercises, compared period over period and listed in a
/// baseline's `allowed` entries (DESIGN §6, issue "least privilege and permission drift").
public enum CapabilityKind: String, CaseIterable, Sendable, Comparable {
    case tool
    case mcpServer = "mcp_server"
    /// A command family: program plus subcommand (`kubectl delete`, `terraform apply`), or a
    /// Kubernetes verb and resource (`k8s create pods/exec`).
    case command
    /// A sensitive-path pattern that matched what was read (`.env`, `~/.ssh/`).
    case sensitivePath = "sensitive_path"
    /// A named secret read from a secret manager or Kubernetes, or the cloud metadata endpoint.
    case secret
    case host
    case namespace
    /// Kubernetes contexts and clusters.
    case context
    /// A production target touched (context, namespace, app, host, environment).
    case production
    case mode
    case approvalPolicy = "approval_policy"
    case sandbox

    public static func < (a: CapabilityKind, b: CapabilityKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The key of the baseline's `allowed` entries that lists this kind.
    public var baselineKey: String {
        switch self {
        case .tool: return "tools"
        case .mcpServer: return "mcp_servers"
        case .command: return "commands"
        case .sensitivePath: return "sensitive_paths"
        case .secret: return "secrets"
        case .host: return "hosts"
        case .namespace: return "namespaces"
        case .context: return "contexts"
        case .production: return "production"
        case .mode: return "modes"
        case .approvalPolicy: return "approval_policies"
        case .sandbox: return "sandboxes"
        }
    }

    public static func forBaselineKey(_ key: String) -> CapabilityKind? { allCases.first { $0.baselineKey == key } }

    /// Singular, for sentences: "a new command", "a new MCP server".
    public var noun: String {
        switch self {
        case .tool: return "tool"
        case .mcpServer: return "MCP server"
        case .command: return "command"
        case .sensitivePath: return "sensitive path"
        case .secret: return "secret"
        case .host: return "network host"
        case .namespace: return "namespace"
        case .context: return "context"
        case .production: return "production target"
        case .mode: return "permission mode"
        case .approvalPolicy: return "approval policy"
        case .sandbox: return "sandbox"
        }
    }

    /// Plural, for headings.
    public var plural: String {
        switch self {
        case .tool: return "tools"
        case .mcpServer: return "MCP servers"
        case .command: return "commands"
        case .sensitivePath: return "sensitive paths"
        case .secret: return "secrets"
        case .host: return "network hosts"
        case .namespace: return "namespaces"
        case .context: return "contexts"
        case .production: return "production targets"
        case .mode: return "permission modes"
        case .approvalPolicy: return "approval policies"
        case .sandbox: return "sandboxes"
        }
    }

    /// Whether values are settings ordered from narrow to wide (modes, approval policies,
    /// sandboxes): a narrower setting than one granted is covered by it.
    public var isSetting: Bool { self == .mode || self == .approvalPolicy || self == .sandbox }

    /// How wide a setting is; unknown spellings rank widest, so they are never taken as covered.
    public func rank(_ value: String) -> Int {
        let key = CapabilityKind.settingKey(value)
        switch self {
        case .mode:
            switch PermissionMode.normalize(value) {
            case .plan, .dontAsk: return 0
            case .default: return 1
            case .acceptEdits: return 2
            case .auto: return 3
            case .bypass: return 4
            case .unknown: return 9
            }
        case .approvalPolicy:
            switch key {
            case "untrusted", "unlessallowlisted", "unlesstrusted": return 0
            case "onrequest": return 1
            case "onfailure": return 2
            case "never": return 4
            default: return 9
            }
        case .sandbox:
            switch key {
            case "readonly": return 0
            case "workspacewrite", "enabled", "true", "on": return 1
            // `off-by-default`: no sandbox, in a harness whose default that is (Gemini CLI): wider than a sandbox
            // (a session that turns it off where others had it on is widened), yet the harness's default.
            case "offbydefault": return 2
            case "externalsandbox": return 2
            case "dangerfullaccess", "disabled", "none", "false", "off": return 4
            default: return 9
            }
        default:
            return 0
        }
    }

    /// The rank of each harness's default (`default`, `on-request`, `workspace-write`): a setting
    /// no wider than it is no widening, whatever was used before.
    public var defaultRank: Int { 1 }

    /// Whether a setting is a harness's default: no wider than `defaultRank`, or a harness's own default that
    /// is wider (Gemini CLI runs with no sandbox unless asked).
    public func isHarnessDefault(_ value: String) -> Bool {
        rank(value) <= defaultRank || self == .sandbox && CapabilityKind.settingKey(value) == "offbydefault"
    }

    /// A setting's value as compared: lower case, without `_`, `-` or spaces (`danger-full-access`, `DangerFullAccess`).
    static func settingKey(_ value: String) -> String {
        value.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " }
    }

    /// Whether a setting turns approvals or the sandbox off.
    public func isApprovalOff(_ value: String) -> Bool { isSetting && rank(value) >= 4 && rank(value) < 9 }
}
