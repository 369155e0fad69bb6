/// What `drift` compares and against which policy.
public struct DriftOptions: Sendable {
    /// The store, the baseline, the waivers and extra rules (rules mark the actions whose drift
    /// `check` reports already).
    public var check: CheckOptions
    /// The period examined (default: the last full month in the data, as for `report`), and the
    /// one it is compared with (default: the period before it).
    public var current: ReportPeriod?
    public var previous: ReportPeriod?
    /// Allowances not exercised within this many days before the end of `current` are unused.
    public var trackingDays: Int = DriftOptions.defaultTrackingDays

    public static let defaultTrackingDays = 90

    public init(check: CheckOptions, current: ReportPeriod? = nil, previous: ReportPeriod? = nil) {
        self.check = check
        self.current = current
        self.previous = previous
    }
}
