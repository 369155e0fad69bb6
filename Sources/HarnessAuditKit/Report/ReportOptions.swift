/// What `report` covers and how it is written.
public struct ReportOptions: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case markdown, html

        public var fileExtension: String { self == .markdown ? "md" : "html" }
    }

    /// The store, the baseline, the waivers and the extra rules, as for `check`. Its window is unused:
    /// the period says which actions count.
    public var check: CheckOptions
    /// The period; nil: the last full month in the data (see `ReportPeriod.defaultPeriod`).
    public var period: ReportPeriod?
    /// The lowest severity that fails the verdict (nil: never).
    public var failOn: Severity? = .high
    /// Whether secrets in log text are masked (`--no-redact` turns it off).
    public var redact = true
    public var format: Format = .markdown
    /// The report file as given (`--out`), for chart names and the commands that reproduce it; nil: standard output.
    public var output: String?
    /// How many findings are shown in full, with their session's timeline.
    public var topFindings = ReportOptions.defaultTopFindings
    public static let defaultTopFindings = 10
    /// Actions shown before and after a finding's action in its timeline.
    public var timelineContext = 3
    /// Rows of a scorecard before the rest is folded into one.
    public var scorecardRows = 12
    /// When the report says it was made; also `now` for the default period (`SOURCE_DATE_EPOCH` fixes it).
    public var generatedAt: Int64 = Clock.nowMillis()

    public init(check: CheckOptions) {
        self.check = check
    }
}
