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

// Contexts and policies are interned by value at ingest: two are the same only byte for byte. Swift's
// synthesized `==` on strings would merge a composed and a decomposed "é" (a path, a repository, a
// person), giving one the other's id.
extension EventContext {
    public static func == (a: EventContext, b: EventContext) -> Bool {
        ExactText.same(a.agent, b.agent) && ExactText.same(a.agentVersion, b.agentVersion) && ExactText.same(a.actor, b.actor)
            && ExactText.same(a.principal, b.principal) && ExactText.same(a.host, b.host) && ExactText.same(a.repo, b.repo)
            && ExactText.same(a.branch, b.branch) && ExactText.same(a.cwd, b.cwd) && ExactText.same(a.model, b.model)
    }

    public func hash(into hasher: inout Hasher) {
        ExactText.combine(agent, into: &hasher)
        ExactText.combine(agentVersion, into: &hasher)
        ExactText.combine(actor, into: &hasher)
        ExactText.combine(principal, into: &hasher)
        ExactText.combine(host, into: &hasher)
        ExactText.combine(repo, into: &hasher)
        ExactText.combine(branch, into: &hasher)
        ExactText.combine(cwd, into: &hasher)
        ExactText.combine(model, into: &hasher)
    }
}

extension PolicyState {
    public static func == (a: PolicyState, b: PolicyState) -> Bool {
        a.mode == b.mode && ExactText.same(a.rawMode, b.rawMode) && ExactText.same(a.approvalPolicy, b.approvalPolicy)
            && ExactText.same(a.sandbox, b.sandbox) && ExactText.same(a.writableRoots, b.writableRoots) && a.networkAccess == b.networkAccess
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(mode)
        ExactText.combine(rawMode, into: &hasher)
        ExactText.combine(approvalPolicy, into: &hasher)
        ExactText.combine(sandbox, into: &hasher)
        ExactText.combine(writableRoots, into: &hasher)
        hasher.combine(networkAccess)
    }
}
