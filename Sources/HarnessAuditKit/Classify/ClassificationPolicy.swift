/// The defaults of DESIGN §4 that classification depends on; a baseline replaces them.
public struct ClassificationPolicy: Sendable {
    public var sensitivePaths = SensitivePaths()
    public var production = ProductionDetector()
    public var protectedBranches = ProtectedBranches()

    public init() {}

    public static let `default` = ClassificationPolicy()
}

/// What is known about where an action ran, for resolving its targets.
public struct ClassificationContext: Sendable {
    public var cwd: String?
    public var home: String?
    /// The session's current git branch (a bare `git push` pushes it).
    public var branch: String?
    /// The branch the session was on before it switched to `branch` (`git checkout -` returns to it), when known.
    public var previousBranch: String?
    /// The kube context selected earlier in the session (`kubectl config use-context`).
    public var kubeContext: String?
    /// The terraform workspace selected earlier in the session, and the directory it was selected for.
    public var terraformWorkspace: TerraformWorkspace?
    /// An environment the log states explicitly (`harness-v1` `environment`).
    public var environment: String?
    public var policy: ClassificationPolicy
    /// Shell scripts written earlier in the session, by absolute path, with their content (`ScriptFiles`):
    /// running one runs its commands. Only the scripts an action's input names are handed in.
    public var scripts: [String: String] = [:]
    /// How many analysers are already on the stack (shell → PowerShell → shell …); bounded so
    /// hostile input cannot recurse without end.
    var nesting = 0
    static let maximumNesting = 8

    /// Takes on the branch a nested script switched to (`pwsh -c "git checkout -b x"`, a PowerShell statement),
    /// for the commands after it.
    mutating func adoptBranch(of other: Classification) {
        guard let selected = other.selectedBranch, selected != branch ?? "" else { return }
        previousBranch = other.branchBefore ?? branch
        branch = selected.isEmpty ? nil : selected
    }

    public init(cwd: String? = nil, home: String? = nil, branch: String? = nil, kubeContext: String? = nil,
                environment: String? = nil, policy: ClassificationPolicy = .default) {
        self.cwd = cwd
        self.home = home
        self.branch = branch
        self.kubeContext = kubeContext
        self.environment = environment
        self.policy = policy
    }
}
