/// Who and where: the slowly changing attributes of an event, interned as one row so
/// each event stores a single integer for them.
public struct EventContext: Hashable, Sendable {
    public var agent: String?
    public var agentVersion: String?
    public var actor: String?
    public var principal: String?
    public var host: String?
    public var repo: String?
    public var branch: String?
    public var cwd: String?
    public var model: String?

    public init(agent: String? = nil, agentVersion: String? = nil, actor: String? = nil, principal: String? = nil,
                host: String? = nil, repo: String? = nil, branch: String? = nil, cwd: String? = nil,
                model: String? = nil) {
        self.agent = agent
        self.agentVersion = agentVersion
        self.actor = actor
        self.principal = principal
        self.host = host
        self.repo = repo
        self.branch = branch
        self.cwd = cwd
        self.model = model
    }
}

/// The approval posture in force for an event, interned like `EventContext`.
public struct PolicyState: Hashable, Sendable {
    /// The normalised mode; `bypass` means approvals were off.
    public var mode: PermissionMode?
    /// The harness's own spelling (`bypassPermissions`, `never`, `yolo`, …).
    public var rawMode: String?
    /// Codex `approval_policy`.
    public var approvalPolicy: String?
    /// Codex `sandbox_policy` type (`danger-full-access`, `workspace-write`, …) or Gemini sandbox flag.
    public var sandbox: String?
    /// Extra writable roots granted (Codex `writable_roots`, Claude added directories), newline-separated.
    public var writableRoots: String?
    /// Network access of the sandbox when known.
    public var networkAccess: Bool?

    public init(mode: PermissionMode? = nil, rawMode: String? = nil, approvalPolicy: String? = nil,
                sandbox: String? = nil, writableRoots: String? = nil, networkAccess: Bool? = nil) {
        self.mode = mode
        self.rawMode = rawMode
        self.approvalPolicy = approvalPolicy
        self.sandbox = sandbox
        self.writableRoots = writableRoots
        self.networkAccess = networkAccess
    }

    public var isEmpty: Bool {
        mode == nil && rawMode == nil && approvalPolicy == nil && sandbox == nil && writableRoots == nil
            && networkAccess == nil
    }
}
