/// The rules `drift` raises (not SQL: they compare periods and allowances). Their ids and
/// categories work in the baseline (`severity`, `disabled_rules`, `disabled_categories`,
/// `authorized`) and in waivers like any rule's.
public enum DriftRules {
    public static let categories = ["permission-drift", "config-drift", "unused-permission"]

    static let driftFrameworks: [FrameworkCatalog.Framework: [String]] = [
        .soc2: ["CC6.1", "CC6.3", "CC8.1"], .iso27001: ["A.5.15", "A.5.18", "A.8.2"], .nist80053: ["AC-6", "AC-6(9)", "CM-3"],
    ]
    static let configFrameworks: [FrameworkCatalog.Framework: [String]] = [
        .soc2: ["CC6.1", "CC7.1", "CC8.1"], .iso27001: ["A.8.9", "A.8.2"], .nist80053: ["CM-2", "CM-3", "CM-6"],
    ]
    static let unusedFrameworks: [FrameworkCatalog.Framework: [String]] = [
        .soc2: ["CC6.2", "CC6.3"], .iso27001: ["A.5.18", "A.8.2"], .nist80053: ["AC-2", "AC-6(7)"],
    ]

    static func rule(_ id: String, _ title: String, _ category: String, _ severity: Severity, _ description: String,
                     remediation: String, falsePositives: String) -> RuleMetadata {
        let frameworks = category == "permission-drift" ? driftFrameworks : category == "config-drift" ? configFrameworks : unusedFrameworks
        return RuleMetadata(
            id: id, title: title, category: category, severity: severity, description: description,
            rationale: category == "unused-permission"
                ? "Least privilege: a grant nobody uses only widens what a compromised or confused agent can do (AWS IAM Access Analyzer's unused access, applied to agents)."
                : "Least privilege: an agent whose reach grows without anyone deciding so is the first sign of a misconfiguration, a prompt injection or a compromised harness.",
            remediation: remediation, references: ["DESIGN §4 (drift and least privilege)"], falsePositives: falsePositives,
            frameworks: frameworks, version: 1)
    }

    static let newFalsePositives = "New work legitimately needs new capabilities; add them to the baseline's `allowed` entries (`harness-audit baseline suggest` writes them)."

    public static let newTool = rule(
        "new-tool", "An agent used a tool it did not use before", "permission-drift", .low,
        "A tool outside the baseline's allowed tools, or (when the baseline lists none for this agent) one the agent did not use in the previous period.",
        remediation: "Decide whether the agent needs the tool; allow it in the baseline or deny it in the harness settings.",
        falsePositives: newFalsePositives)
    public static let newMCPServer = rule(
        "new-mcp-server", "An agent used a new MCP server", "permission-drift", .medium,
        "An MCP server outside the baseline's allowed servers, or new against the previous period. MCP servers reach systems outside the repository.",
        remediation: "Review the server's access; allow it in the baseline or remove it from the agent's configuration.",
        falsePositives: newFalsePositives)
    public static let newCommand = rule(
        "new-command", "An agent ran a new kind of command", "permission-drift", .low,
        "A command family (program and subcommand) outside the baseline's allowed commands, or new against the previous period, that is not risky.",
        remediation: "Allow the command family in the baseline when it is part of the agent's job.",
        falsePositives: newFalsePositives)
    public static let newRiskyCommand = rule(
        "new-risky-command", "An agent ran a new risky kind of command", "permission-drift", .high,
        "A command family that deletes, deploys, merges, changes schemas, runs remotely, mints credentials, reads secrets, escalates privileges or is high risk, outside the baseline or new against the previous period.",
        remediation: "Confirm who decided the agent may do this; allow it in the baseline with a reason, or deny it in the harness settings.",
        falsePositives: newFalsePositives)
    public static let newSensitivePath = rule(
        "new-sensitive-path", "An agent read a new kind of secret", "permission-drift", .high,
        "Secret material (a sensitive-path pattern, a named secret or the cloud metadata endpoint) outside the baseline's allowed sensitive paths, or new against the previous period.",
        remediation: "Rotate what was read if it was not meant to be; deny the path in the harness settings.",
        falsePositives: "Reading a template or an example file that a sensitive pattern matches; narrow the pattern in the baseline.")
    public static let newHost = rule(
        "new-host", "An agent reached a new network host", "permission-drift", .medium,
        "A host outside the baseline's allowed hosts, or new against the previous period.",
        remediation: "Allow the host (or its domain) in the baseline, or block it in the sandbox's network settings.",
        falsePositives: newFalsePositives)
    public static let newKubernetesScope = rule(
        "new-k8s-scope", "An agent touched a new namespace or cluster context", "permission-drift", .medium,
        "A Kubernetes namespace or context outside the baseline's allowed ones, or new against the previous period.",
        remediation: "Check the agent's RBAC and kubeconfig; scope its service account to the namespaces it needs.",
        falsePositives: newFalsePositives)
    public static let newProductionTarget = rule(
        "new-production-target", "An agent touched a new production target", "permission-drift", .high,
        "A production context, namespace, cluster, app, host or environment outside the baseline's allowed production targets, or new against the previous period.",
        remediation: "Confirm the change was authorized; keep production credentials out of the agent's reach.",
        falsePositives: "A name that looks like production but is not; list it under `production.not_production` in the baseline.")
    public static let newPermissionSetting = rule(
        "new-permission-setting", "An agent ran under a wider permission setting", "permission-drift", .medium,
        "A permission mode, approval policy or sandbox wider than any the baseline allows, or than the agent used in the previous period.",
        remediation: "Pin the setting in the harness's managed settings.",
        falsePositives: "A one-off change a person made on purpose; allow it in the baseline with a reason.")
    public static let newUnrestrictedSetting = rule(
        "new-unrestricted-setting", "An agent ran with approvals or the sandbox off for the first time", "permission-drift", .high,
        "A permission mode, approval policy or sandbox that turns approvals or the sandbox off (bypass, never, danger-full-access), not allowed by the baseline and not used in the previous period.",
        remediation: "Disable bypass modes in managed settings (Claude `disableBypassPermissionsMode`, Codex `approval_policy`).",
        falsePositives: "A disposable, isolated environment made for this; allow it in the baseline for that agent and repo.")
    public static let configWidened = rule(
        "config-widened", "A session's permission configuration widened", "config-drift", .medium,
        "A session ran with a wider mode, approval policy or sandbox than its agent's (or repository's) norm in the previous period, one its repository's sessions did not use then, or with allow rules, added directories or writable roots that the previous period did not have.",
        remediation: "Find who changed the configuration; revert it or record the decision in the baseline.",
        falsePositives: "A person widened a session on purpose for one task.")
    public static let configWidenedUnrestricted = rule(
        "config-widened-unrestricted", "A session turned approvals or the sandbox off against its norm", "config-drift", .high,
        "A session ran with approvals or the sandbox off (bypass, never, danger-full-access) where its agent's (or repository's) norm in the previous period kept them on and its repository's sessions never turned them off.",
        remediation: "Disable bypass modes in managed settings; find out who started the session this way.",
        falsePositives: "A disposable, isolated environment made for this.")
    public static let unusedAllowance = rule(
        "unused-allowance", "A baseline allowance was not used in the tracking period", "unused-permission", .low,
        "A value in the baseline's `allowed` entries or `allowed_write_roots` that no agent exercised within the tracking period (default 90 days).",
        remediation: "Remove it from the baseline (`harness-audit baseline suggest` shows the tighter file).",
        falsePositives: "Rare, seasonal work (a quarterly release) falls outside a short tracking period; lengthen it with --tracking-period.")
    public static let unusedAuthorization = rule(
        "unused-authorization", "An authorized context was not used in the tracking period", "unused-permission", .medium,
        "An `authorized` entry of the baseline that matched no finding within the tracking period: an exception nobody needs still hides future findings.",
        remediation: "Remove the authorization, or narrow it to what is still needed.",
        falsePositives: "Rare, seasonal work falls outside a short tracking period.")
    public static let unusedAgentGrant = rule(
        "unused-agent-grant", "An agent's configuration grants something it never used", "unused-permission", .medium,
        "A grant visible in the logs that was not exercised within the tracking period: a Claude Code allow rule or added directory the user accepted, a Codex writable root, an approval policy or sandbox that lets actions run unasked, an MCP server configured but never called.",
        remediation: "Remove the rule, directory, root or server from the agent's settings; narrow the approval policy or sandbox.",
        falsePositives: "Grants made for work that has not happened yet.")

    public static let all: [RuleMetadata] = [
        newTool, newMCPServer, newCommand, newRiskyCommand, newSensitivePath, newHost, newKubernetesScope, newProductionTarget,
        newPermissionSetting, newUnrestrictedSetting, configWidened, configWidenedUnrestricted, unusedAllowance,
        unusedAuthorization, unusedAgentGrant,
    ]

    /// The rule a new capability raises.
    static func rule(for capability: Capability, classes: ActionClasses) -> RuleMetadata {
        switch capability.kind {
        case .tool: return newTool
        case .mcpServer: return newMCPServer
        case .command: return classes.isDisjoint(with: CheckEngine.riskyClasses) ? newCommand : newRiskyCommand
        case .sensitivePath, .secret: return newSensitivePath
        case .host: return newHost
        case .namespace, .context: return newKubernetesScope
        case .production: return newProductionTarget
        case .mode, .approvalPolicy, .sandbox:
            return capability.kind.isApprovalOff(capability.value) ? newUnrestrictedSetting : newPermissionSetting
        }
    }
}
