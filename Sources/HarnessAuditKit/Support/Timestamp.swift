/// Parsing and formatting of timestamps as milliseconds since the Unix epoch (UTC).
///
/// Accepts RFC 3339 / ISO 8601 date-times as the formats write them: `2026-11-02T10:15:03.123Z`,
/// any number of fractional digits, `+hh:mm` / `-hh:mm` / `+hhmm` offsets, a space instead of
/// `T`, and a missing zone (read as UTC). Foundation's date parsing is avoided: it is slow on
/// Linux and this runs once per event.
public enum Timestamp {
    /// Parses an ISO 8601 date-time. Returns nil when the text is not one.
    public static func parseISO8601(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { parseISO8601(UnsafeRawBufferPointer($0)) }
    }

    public static func parseISO8601(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let n = bytes.count
        guard n >= 10 else { return nil }
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var value = 0
            for _ in 0..<count {
                let c = bytes[i]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
                i += 1
            }
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < n, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2),
              expect(UInt8(ascii: "-")), let day = digits(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year, month) else { return nil }
        var hour = 0, minute = 0, second = 0, millis = 0
        if i < n {
            guard bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: "t") || bytes[i] == UInt8(ascii: " ")
            else { return nil }
            i += 1
            guard let h = digits(2), expect(UInt8(ascii: ":")), let m = digits(2) else { return nil }
            hour = h
            minute = m
            if expect(UInt8(ascii: ":")) {
                guard let s = digits(2) else { return nil }
                second = s
                if i < n && (bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",")) {
                    i += 1
                    var scale = 100
                    var sawDigit = false
                    while i < n, bytes[i] >= 48, bytes[i] <= 57 {
                        millis += Int(bytes[i] - 48) * scale
                        scale /= 10
                        sawDigit = true
                        i += 1
                    }
                    guard sawDigit else { return nil }
                }
            }
            guard hour < 24, minute < 60, second <= 60 else { return nil }
        }
        var offsetMinutes = 0
        if i < n {
            let c = bytes[i]
            if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
                i += 1
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                i += 1
                guard let oh = digits(2) else { return nil }
                _ = expect(UInt8(ascii: ":"))
                let om = digits(2) ?? 0
                offsetMinutes = (oh * 60 + om) * (c == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        guard i == n else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
            - Int64(offsetMinutes * 60)
        return seconds * 1000 + Int64(millis)
    }

    /// Milliseconds from a Unix time given in seconds, milliseconds, microseconds or
    /// nanoseconds, decided by magnitude.
    public static func fromEpochNumber(_ value: Double) -> Int64? {
        guard value.isFinite, value > 0 else { return nil }
        if value < 1e11 { return Int64(value * 1000) }          // seconds
        if value < 1e14 { return Int64(value) }                 // milliseconds
        if value < 1e17 { return Int64(value / 1000) }          // microseconds
        if value < 1e20 { return Int64(value / 1_000_000) }     // nanoseconds
        return nil
    }

    /// `2026-11-02T10:15:03.123Z`.
    public static func format(_ millis: Int64) -> String {
        let (days, msOfDay) = floorDivMod(millis, 86_400_000)
        let (y, m, d) = civilFromDays(Int(days))
        let ms = Int(msOfDay)
        let h = ms / 3_600_000
        let mi = (ms / 60_000) % 60
        let s = (ms / 1000) % 60
        let f = ms % 1000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(f, 3))Z"
    }

    /// `2026-11-02` of a timestamp.
    public static func formatDate(_ millis: Int64) -> String {
        let (days, _) = floorDivMod(millis, 86_400_000)
        let (y, m, d) = civilFromDays(Int(days))
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Milliseconds at 00:00 UTC of a civil date.
    public static func millis(year: Int, month: Int, day: Int) -> Int64 {
        Int64(daysFromCivil(year, month, day)) * 86_400_000
    }

    /// Year and month of a timestamp.
    public static func yearMonth(_ millis: Int64) -> (year: Int, month: Int) {
        let (days, _) = floorDivMod(millis, 86_400_000)
        let (y, m, _) = civilFromDays(Int(days))
        return (y, m)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b
        var r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
