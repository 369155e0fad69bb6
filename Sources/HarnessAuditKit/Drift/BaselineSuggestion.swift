/// What `baseline suggest` produces: the tightest baseline for a period's activity, how it
/// differs from the current one, and the matching harness settings.
public struct BaselineSuggestion: Sendable {
    /// One suggested `allowed` entry: a scope and the values of every kind it used.
    public struct Entry: Sendable {
        public var scope: CapabilityScope
        public var lists: [CapabilityKind: [String]]
    }

    /// One line of the recommended-versus-current comparison.
    public struct Change: Sendable, Equatable {
        public enum Kind: String, Sendable { case kept = "=", added = "+", removed = "-", undeclared = "*" }
        public var kind: Kind
        public var scope: String
        public var capability: CapabilityKind
        public var value: String
        /// The current baseline's line, for kept and removed values.
        public var line: Int?
    }

    public var period: ReportPeriod
    public var entries: [Entry] = []
    /// The baseline file: the current one with its `allowed` list replaced.
    public var yaml = ""
    public var changes: [Change] = []
    /// Other recommendations (authorizations and write roots nothing used).
    public var notes: [String] = []
    /// `.claude/settings.json` permissions, when Claude Code was active.
    public var claudeSettings: String?
    /// Codex `config.toml` settings, when Codex was active.
    public var codexConfig: String?
    /// Actions the suggestion rests on, and those left out because `check` flagged them.
    public var actions = 0
    public var flaggedActions = 0

    public init(period: ReportPeriod) {
        self.period = period
    }
}
