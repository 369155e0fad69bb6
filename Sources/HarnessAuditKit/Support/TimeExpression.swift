/// Parses the time bounds of `--since`/`--until`: an ISO 8601 date (`2026-11-01`, midnight
/// UTC) or date-time (`2026-11-01T10:00:00Z`, offsets allowed), a Unix time in seconds or
/// milliseconds, or a duration before now (`7d`, `36h`, `90m`, `2w`).
public enum TimeExpression {
    /// An optional option's value: nil when the option was not given.
    public static func parseIfGiven(_ text: String?, now: Int64, option: String) throws(HarnessAuditError) -> Int64? {
        guard let text else { return nil }
        return try parse(text, now: now, option: option)
    }

    public static func parse(_ text: String, now: Int64, option: String) throws(HarnessAuditError) -> Int64 {
        let trimmed = text.trimmingSpaces
        if let millis = Timestamp.parseISO8601(trimmed) { return millis }
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isNumber) {
            // A Unix time of this century has ten digits or more; fewer is most likely a date written without dashes
            // (`20261115`), which would silently mean 1970. `0` is the epoch itself.
            if trimmed.count < 10 && trimmed.contains(where: { $0 != "0" }) {
                let hint = trimmed.count == 8
                    ? " (for the date write \(trimmed.prefix(4))-\(trimmed.dropFirst(4).prefix(2))-\(trimmed.suffix(2)))" : ""
                throw .usage("\(option) \(text): too few digits for a Unix time\(hint); expected a date (2026-11-01), a date-time "
                             + "(2026-11-01T10:00:00Z), a Unix time in seconds or milliseconds, or a duration before now (7d, 36h, 90m)")
            }
            if !trimmed.contains(where: { $0 != "0" }) { return 0 }
            if let value = Double(trimmed), let millis = Timestamp.fromEpochNumber(value) { return millis }
        }
        if let last = trimmed.last, last.isLetter, trimmed.first?.isNumber == true,
           let seconds = ShellAnalyzer.durationSeconds(trimmed), seconds > 0 {
            return now - seconds * 1000
        }
        throw .usage("\(option) \(text): expected a date (2026-11-01), a date-time (2026-11-01T10:00:00Z), "
                     + "a Unix time, or a duration before now (7d, 36h, 90m)")
    }
}
