/// What every findings renderer needs besides the result.
public struct FindingsRenderOptions: Sendable {
    /// The `--fail-on` threshold (nil: `none`).
    public var failOn: Severity?
    /// ANSI colour (text output on a terminal only).
    public var color: Bool = false
    /// The store the findings come from, as given.
    public var databasePath: String?
    /// When the output was produced (ms); fixed in golden tests.
    public var generatedAt: Int64 = Clock.nowMillis()
    /// The command named in headlines (`check`, `drift`).
    public var command = "check"

    public init(failOn: Severity? = .high) {
        self.failOn = failOn
    }

    /// "PASS" or "FAIL" with the reason, for summaries.
    func verdict(_ result: CheckResult) -> (failed: Bool, text: String) {
        guard let failOn else { return (false, "no threshold (--fail-on none)") }
        let reaching = result.findings.filter { $0.severity >= failOn }.count
        if reaching > 0 {
            return (true, "\(reaching) finding\(reaching == 1 ? "" : "s") at or above \(failOn.rawValue)")
        }
        return (false, "nothing at or above \(failOn.rawValue)")
    }
}
