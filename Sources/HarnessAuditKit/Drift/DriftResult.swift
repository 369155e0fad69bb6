/// What `drift` found: capabilities new and vanished per scope between two periods, and the
/// findings (permission drift, configuration drift, unused permissions) in the envelope of
/// `check`, so every findings format and `--fail-on` work unchanged.
public struct DriftResult: Sendable {
    /// One capability a scope exercised in a period.
    public struct Use: Sendable {
        public var capability: Capability
        public var actions: Int = 0
        /// Actions that also raised a `check` finding (their drift is reported there).
        public var flaggedActions: Int = 0
        public var sessions: Int = 0
        /// The first sessions that used it, in time order (at most three).
        public var firstSessions: [String] = []
        public var firstTs: Int64?
        public var lastTs: Int64?
        public var classes: ActionClasses = []
        /// Why a new capability raised no finding: `baseline line 12`, `previous period`, … (nil: it did).
        public var covered: String?
        /// The same as a code for machines: `baseline`, `previous-period`, `agent-history`,
        /// `fleet-history`, `check`, `no-previous-period`, `waived`, `authorized`, `disabled`.
        public var coveredBy: String?
        /// The finding it raised, if any.
        public var findingID: String?
    }

    /// The changes of one agent, repository and principal.
    public struct ScopeChanges: Sendable {
        public var scope: CapabilityScope
        public var new: [Use] = []
        public var vanished: [Use] = []
        /// Capabilities outside the baseline's allowed lists that are not new (or that have no
        /// previous period to be new against).
        public var outside: [Use] = []
        /// Capabilities used in both periods.
        public var kept: Int = 0
        /// No activity of this scope in the previous period: it is compared with the fleet's.
        public var firstActive = false
    }

    public var current: ReportPeriod
    public var previous: ReportPeriod
    public var trackingSince: Int64
    public var trackingUntil: Int64
    public var trackingDays: Int
    /// The store's first and last event times.
    public var dataFirst: Int64?
    public var dataLast: Int64?
    public var currentActions: Int64 = 0
    public var previousActions: Int64 = 0
    public var scopes: [ScopeChanges] = []
    /// The findings, with the baseline's severities, authorizations and the waivers applied.
    public var result = CheckResult()
    public var elapsedSeconds: Double = 0

    public init(current: ReportPeriod, previous: ReportPeriod, trackingSince: Int64, trackingUntil: Int64, trackingDays: Int) {
        self.current = current
        self.previous = previous
        self.trackingSince = trackingSince
        self.trackingUntil = trackingUntil
        self.trackingDays = trackingDays
    }

    public var previousHasData: Bool { previousActions > 0 }
    public var newCount: Int { scopes.reduce(0) { $0 + $1.new.count } }
    public var vanishedCount: Int { scopes.reduce(0) { $0 + $1.vanished.count } }
}
