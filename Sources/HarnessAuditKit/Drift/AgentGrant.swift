/// A permission an agent's configuration grants, as seen in its logs: a Claude Code allow rule
/// or added directory the user accepted ("Yes, don't ask again"), a Codex writable root, an
/// approval policy or sandbox that lets actions run unasked, an MCP server configured.
public struct AgentGrant: Hashable, Sendable, Comparable {
    public enum Kind: String, Sendable, Comparable, CaseIterable {
        case allowRule = "allow_rule"
        case directory
        case writableRoot = "writable_root"
        case approvalPolicy = "approval_policy"
        case sandbox
        case mcpServer = "mcp_server"

        public static func < (a: Kind, b: Kind) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

        public var noun: String {
            switch self {
            case .allowRule: return "allow rule"
            case .directory: return "added directory"
            case .writableRoot: return "writable root"
            case .approvalPolicy: return "approval policy"
            case .sandbox: return "sandbox"
            case .mcpServer: return "MCP server"
            }
        }
    }

    public var scope: CapabilityScope
    public var kind: Kind
    public var value: String

    public static func < (a: AgentGrant, b: AgentGrant) -> Bool {
        (a.scope, a.kind, a.value) < (b.scope, b.kind, b.value)
    }

    /// Approval policies wider than the default that let actions run without asking.
    static func isGrantingApprovalPolicy(_ value: String) -> Bool { CapabilityKind.approvalPolicy.rank(value) >= 2 }
    /// Sandboxes that remove the workspace's confinement.
    static func isGrantingSandbox(_ value: String) -> Bool { CapabilityKind.sandbox.rank(value) >= 4 }

    /// Classes of actions that an asking approval policy would have stopped to ask about.
    static let askedClasses: ActionClasses = [.write, .delete, .deploy, .merge, .schema, .remoteExec, .highRisk, .credential,
                                              .privilege, .vcs, .network, .sensitiveRead]
    /// Classes of actions a workspace sandbox would have confined or refused.
    static let unconfinedClasses: ActionClasses = [.network, .highRisk, .privilege, .remoteExec, .deploy, .credential]
}
