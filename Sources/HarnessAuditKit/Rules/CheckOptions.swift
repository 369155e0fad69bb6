/// What `check` evaluates and how.
public struct CheckOptions: Sendable {
    public var databasePath: String
    /// Only actions at or after `since` and before `until` (ms).
    public var since: Int64?
    public var until: Int64?
    public var baseline = Baseline()
    public var waivers = Waivers()
    /// Directories of extra rules (`--rules DIR`).
    public var ruleDirectories: [String] = []
    /// Rules to use instead of loading them (tests, `rules test`).
    public var rules: [Rule]?
    /// Finding ids of a previous run (`--new-only --previous FILE`): only new findings are reported.
    public var previousFindingIDs: Set<String>?
    /// The time that waivers expire against.
    public var now: Int64 = Clock.nowMillis()
    /// How many connections evaluate rules at once (nil: one per processor online, at most four, and one
    /// for a store of fewer than 20,000 events). Findings do not depend on it.
    public var ruleConnections: Int?
    /// How events are folded into actions. The model does not depend on it.
    public var fold: Fold = .streamed()

    /// How `check` folds events into actions.
    public enum Fold: Sendable, Equatable {
        /// Each session's events read in order and folded as they come, on a thread of its own, while the
        /// check's thread writes the actions (`ActionFold`); a session that would hold more than
        /// `heldBytesLimit` bytes (nil: 48 MiB) is folded by SQL instead. The default.
        case streamed(heldBytesLimit: Int? = nil)
        /// One SQL `GROUP BY` shared out by session among `connections` (nil: one per processor online, at
        /// most four, and one for a store of fewer than 20,000 events): what the streamed fold is tested against.
        case grouped(connections: Int?)
    }

    public init(databasePath: String) {
        self.databasePath = databasePath
    }
}

/// The outcome of `check`.
public struct CheckResult: Sendable {
    public var findings: [Finding] = []
    /// Findings accepted by a valid waiver: listed, never failing CI.
    public var waived: [Finding] = []
    /// Findings the baseline authorizes (not raised).
    public var authorized: [Finding] = []
    /// Findings already in the previous run (`--new-only`).
    public var previouslyReported: Int = 0
    /// Their ids, sorted: a `--new-only` output carries them, so it can be the next run's `--previous`.
    public var previouslyReportedIDs: [String] = []
    /// Waivers that do not apply (expired, ownerless, …) and why.
    public var invalidWaivers: [(waiver: Waivers.Waiver, problem: String)] = []
    /// Waivers that matched no finding (or only findings an earlier waiver already covers).
    public var unusedWaivers: [Waivers.Waiver] = []
    /// Baseline authorizations that matched no finding: stale entries, or typos.
    public var unusedAuthorizations: [Baseline.Authorization] = []
    /// The waivers file, for messages.
    public var waiversFile: String?
    public var rules: [Rule] = []
    public var baseline = Baseline()
    public var since: Int64?
    public var until: Int64?
    public var actions: Int64 = 0
    /// Risky actions that ran (delete, deploy, schema, merge, high risk, credential, sensitive read, remote exec):
    /// blocked attempts are counted apart, as the report counts them.
    public var riskyActions: Int64 = 0
    /// Risky actions a person confirmed.
    public var confirmedRiskyActions: Int64 = 0
    /// The risky classes findings showed actions to have beyond their classes from ingest (the baseline's own
    /// sensitive paths and protected branches apply when rules run), with whether a person confirmed each action;
    /// counted in `riskyActions` and in the report's risky actions by class.
    public var addedRiskyClasses: [AddedRisk] = []

    /// An action a finding shows risky beyond its classes from ingest.
    public struct AddedRisk: Sendable {
        /// The risky classes added.
        public var classes: ActionClasses
        /// A person confirmed the action.
        public var confirmed: Bool
        /// The action had no risky class before: it adds to the risky actions.
        public var newlyRisky: Bool
        public var agent: String?, repo: String?, actor: String?
    }
    /// Actions that were denied or refused: the guardrails working.
    public var blockedAttempts: Int64 = 0
    /// Kubernetes requests in the window by principals not taken for agents (README: Kubernetes findings concern
    /// agents): no rule checked them. With the principals, those that made most first (up to
    /// `otherPrincipalsListed`; the text outputs name three).
    public var otherPrincipalRequests: Int64 = 0
    public var otherPrincipalCount: Int64 = 0
    public var otherPrincipals: [String] = []
    public static let otherPrincipalsListed = 1_000
    /// Actions in the window with no timestamp of their own or their session's (placed by file time).
    public var undatedActions: Int64 = 0
    /// Files an ingest was still reading when the check ran (by path, as given to it): only the lines stored so far
    /// were checked.
    public var sourcesBeingIngested: [String] = []
    public var elapsedSeconds: Double = 0
    /// Seconds per stage (the action model, each rule, the rest), for `check --profile` and benchmarks.
    public var timings: [(stage: String, seconds: Double)] = []

    public func failing(at threshold: Severity?) -> Bool {
        guard let threshold else { return false }
        return findings.contains { $0.severity >= threshold }
    }

    public func count(_ severity: Severity) -> Int { findings.reduce(0) { $1.severity == severity ? $0 + 1 : $0 } }
}
