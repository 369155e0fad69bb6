/// Everything the manager's report shows, gathered from the store by `ReportBuilder` and laid
/// out by `ReportComposer`. Strings taken from logs are already redacted (unless `--no-redact`);
/// escaping happens when a renderer writes them.
public struct ComplianceReport: Sendable {
    /// The headline numbers of one period.
    public struct Figures: Sendable, Equatable {
        public var sessions: Int64 = 0
        public var actions: Int64 = 0
        public var agents: Int64 = 0
        public var actors: Int64 = 0
        /// Risky actions that ran (blocked attempts did not), and those a person confirmed.
        public var riskyActions: Int64 = 0
        public var confirmedRiskyActions: Int64 = 0
        public var blockedAttempts: Int64 = 0
        public var undatedActions: Int64 = 0
        /// Files an ingest was still reading when the report was made.
        public var sourcesBeingIngested: [String] = []
        /// Kubernetes requests by principals not taken for agents, which no rule checked (`CheckResult`).
        public var otherPrincipals: String?
    }

    /// One period: its window, the check over it and its figures.
    public struct PeriodResult: Sendable {
        public var period: ReportPeriod
        public var result: CheckResult
        public var figures: Figures

        /// Whether the store holds anything for the period.
        public var hasData: Bool { figures.actions > 0 || !result.findings.isEmpty || !result.waived.isEmpty }

        public func findings(_ severity: Severity) -> Int { result.count(severity) }
        public func findings(category: String) -> Int { result.findings.filter { $0.category == category }.count }
    }

    /// One line of a session timeline: an action (call, result and decision together) or a change
    /// of permission mode.
    public struct TimelineEntry: Sendable, Equatable {
        public var ts: Int64?
        /// What happened: the command, or the tool and its target.
        public var action: String
        public var tool: String?
        public var classes: [String]
        /// `blocked`, `ran despite a denial`, `confirmed by a person`, `failed`, `ran unconfirmed`, `ran`, `mode change`.
        public var status: String
        /// The action the finding is about.
        public var isSubject: Bool
    }

    /// A finding shown in full, with what happened around it in its session.
    public struct TopFinding: Sendable {
        public var finding: Finding
        public var timeline: [TimelineEntry]
        /// Actions of the session before and after the part shown.
        public var hiddenBefore: Int
        public var hiddenAfter: Int
    }

    /// One row of a scorecard: an agent, a repository or an actor. Risky actions are those that ran.
    public struct ScorecardRow: Sendable, Equatable {
        public var name: String
        public var sessions: Int64 = 0
        public var actions: Int64 = 0
        public var riskyActions: Int64 = 0
        public var confirmedRiskyActions: Int64 = 0
        public var blockedAttempts: Int64 = 0
        public var critical = 0
        public var high = 0
        public var medium = 0
        public var lowAndInfo = 0

        public var findings: Int { critical + high + medium + lowAndInfo }

        /// Adds another row's counts (folding rows into one).
        mutating func add(_ other: ScorecardRow) {
            sessions += other.sessions
            actions += other.actions
            riskyActions += other.riskyActions
            confirmedRiskyActions += other.confirmedRiskyActions
            blockedAttempts += other.blockedAttempts
            critical += other.critical
            high += other.high
            medium += other.medium
            lowAndInfo += other.lowAndInfo
        }
    }

    public struct Scorecard: Sendable {
        /// `agent`, `repository`, `actor`.
        public var dimension: String
        public var rows: [ScorecardRow]
        /// Rows beyond the ones shown, folded into one.
        public var others: ScorecardRow?
        public var otherCount: Int
    }

    /// Risky actions of one class: confirmed by a person, not confirmed, blocked.
    public struct RiskyClass: Sendable, Equatable {
        public var name: String
        public var confirmed: Int64
        public var unconfirmed: Int64
        public var blocked: Int64
    }

    /// What the report stands on: the sources, how complete they are, and what could not be read.
    public struct Coverage: Sendable {
        public struct RejectedLine: Sendable, Equatable {
            public var file: String
            public var line: Int64
            public var reason: String
        }

        /// The whole store.
        public var statistics: StoreStatistics
        /// Sources with events in the period (or with no dated event at all).
        public var sources: [StoreStatistics.Source]
        public var eventsInPeriod: Int64
        public var eventsByFormat: [StoreStatistics.Count]
        /// Events with no time of files with no dated event that the period holds by their file's time (Claude Code hook
        /// payloads), by format.
        public var undatedEventsPlaced: Int64 = 0
        public var undatedByFormat: [StoreStatistics.Count] = []
        public var daysWithEvents: Int
        public var daysInPeriod: Int
        /// Rejected lines of the period's sources, by reason, and the first of them.
        public var rejectedByReason: [StoreStatistics.Count]
        public var rejectedLines: [RejectedLine]
        public var rejectedTotal: Int64
    }

    public var current: PeriodResult
    public var previous: PeriodResult?

    /// The previous period when both periods hold data: a period with no data has no trend (its logs may be missing),
    /// and one compared with an empty period neither.
    public var comparablePrevious: PeriodResult? {
        guard current.hasData, let previous, previous.hasData else { return nil }
        return previous
    }
    public var topFindings: [TopFinding]
    public var scorecards: [Scorecard]
    public var riskyClasses: [RiskyClass]
    public var coverage: Coverage
    /// Permission drift against the previous period and unused permissions (`drift`).
    public var drift: DriftResult?
    public var options: ReportOptions
    public var generatedAt: Int64
    /// Seconds per stage, for `report --profile` and the benchmark.
    public var timings: [(stage: String, seconds: Double)] = []

    /// Whether the period fails the threshold.
    public var failed: Bool { current.result.failing(at: options.failOn) }
}
