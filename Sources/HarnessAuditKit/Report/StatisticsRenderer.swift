/// Renders `StoreStatistics` as text for a terminal or as JSON (shape documented in the README).
public enum StatisticsRenderer {
    /// Rejected lines the text lists; JSON lists `StoreStatistics.rejectionListLimit`.
    static let textRejectionLimit = 200

    public static func text(_ stats: StoreStatistics) -> String {
        var out = ""
        let range: String
        if let first = stats.firstTS, let last = stats.lastTS {
            range = "\(Timestamp.format(first)) … \(Timestamp.format(last))"
        } else {
            range = "no timestamps"
        }
        out += "Store: \(stats.sources.count) sources, \(Format.grouped(stats.events)) events, "
        out += "\(Format.grouped(stats.sessions)) sessions\n"
        out += "Time range: \(range)\n"
        out += "Lines: \(Format.grouped(stats.lines)) read = \(Format.grouped(stats.eventLines)) made events + "
        out += "\(Format.grouped(stats.rejectedLines)) rejected + \(Format.grouped(stats.blankLines)) blank"
        out += stats.accountingHolds ? "\n" : "  (ACCOUNTING MISMATCH)\n"
        if stats.eventsDuplicate > 0 {
            out += "Events: \(Format.grouped(stats.eventsAdded)) added, \(Format.grouped(stats.eventsDuplicate)) already in the store "
                + "(copies of what another file or an earlier ingest gave)\n"
        }
        func section(_ title: String, _ counts: [StoreStatistics.Count]) {
            guard !counts.isEmpty else { return }
            out += "\n\(title):\n"
            let width = counts.map(\.name.count).max() ?? 0
            for count in counts {
                out += "  " + count.name.padding(to: width) + "  " + Format.grouped(count.count).leftPadding(to: 10) + "\n"
            }
        }
        section("Events by format", stats.eventsByFormat)
        section("Events by kind", stats.eventsByKind)
        section("Events by harness", stats.eventsByAgent)
        section("Rejected lines by reason", stats.rejectedByReason)
        section("Events kept with a warning", stats.eventsWithWarning)
        if !stats.rejections.isEmpty {
            // Named by file and line, masked like any output (a rejected line's detail quotes it).
            let redactor = Redactor()
            out += "\nRejected lines:\n"
            for rejection in stats.rejections.prefix(StatisticsRenderer.textRejectionLimit) {
                out += "  \(rejection.path):\(rejection.line): \(rejection.reason)"
                out += (rejection.detail.map { ": " + redactor.redact($0) } ?? "") + "\n"
            }
            let more = stats.rejectedLines - Int64(min(stats.rejections.count, StatisticsRenderer.textRejectionLimit))
            if more > 0 {
                out += "  … \(Format.grouped(more)) more (`stats --format json` lists the first "
                    + "\(Format.grouped(Int64(StoreStatistics.rejectionListLimit))); the store's `rejected` table has all, with their bytes)\n"
            }
        }
        if !stats.sources.isEmpty {
            out += "\nSources:\n"
            for source in stats.sources {
                out += "  \(source.path)  [\(source.state)]  lines \(source.lines): events \(source.eventLines)"
                out += ", rejected \(source.rejectedLines), blank \(source.blankLines)"
                out += "; \(source.eventsAdded) added, \(source.eventsDuplicate) already present"
                if let problem = source.problem { out += "\n      problem: \(problem)" }
                out += "\n"
            }
        }
        return out
    }

    public static func json(_ stats: StoreStatistics) -> String {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("schemaVersion", 1)
        w.key("totals")
        w.beginObject()
        w.field("sources", stats.sources.count)
        w.field("events", stats.events)
        w.field("sessions", stats.sessions)
        w.field("lines", stats.lines)
        w.field("eventLines", stats.eventLines)
        w.field("rejectedLines", stats.rejectedLines)
        w.field("blankLines", stats.blankLines)
        w.field("accountingHolds", stats.accountingHolds)
        w.endObject()
        w.key("timeRange")
        w.beginObject()
        w.field("first", stats.firstTS.map(Timestamp.format))
        w.field("last", stats.lastTS.map(Timestamp.format))
        w.endObject()
        func counts(_ name: String, _ list: [StoreStatistics.Count]) {
            w.key(name)
            w.beginObject()
            for count in list { w.field(count.name, count.count) }
            w.endObject()
        }
        counts("eventsByFormat", stats.eventsByFormat)
        counts("eventsByKind", stats.eventsByKind)
        counts("eventsByHarness", stats.eventsByAgent)
        counts("rejectedByReason", stats.rejectedByReason)
        counts("eventsWithWarning", stats.eventsWithWarning)
        w.key("rejected")
        w.beginArray()
        let redactor = Redactor()
        for rejection in stats.rejections {
            w.beginObject()
            w.field("file", rejection.path)
            w.field("line", rejection.line)
            w.field("reason", rejection.reason)
            w.field("detail", rejection.detail.map { redactor.redact($0) })
            w.endObject()
        }
        w.endArray()
        w.field("rejectedListed", stats.rejections.count)
        w.key("sources")
        w.beginArray()
        for source in stats.sources {
            w.beginObject()
            w.field("path", source.path)
            w.field("state", source.state)
            w.field("compression", source.compression)
            w.field("size", source.size)
            w.field("sha256", source.sha256)
            w.field("first", source.firstTS.map(Timestamp.format))
            w.field("last", source.lastTS.map(Timestamp.format))
            w.field("lines", source.lines)
            w.field("eventLines", source.eventLines)
            w.field("rejectedLines", source.rejectedLines)
            w.field("blankLines", source.blankLines)
            w.field("eventsAdded", source.eventsAdded)
            w.field("eventsAlreadyPresent", source.eventsDuplicate)
            w.field("problem", source.problem)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.output + "\n"
    }
}

/// Number and text formatting shared by the renderers.
public enum Format {
    /// 1234567 → "1,234,567".
    public static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    public static func grouped(_ value: Int) -> String { grouped(Int64(value)) }

    /// `1 action`, `2 actions`, `1,204 actions`.
    public static func count(_ value: Int64, _ noun: String) -> String {
        grouped(value) + " " + noun + (value == 1 ? "" : "s")
    }

    public static func count(_ value: Int, _ noun: String) -> String { count(Int64(value), noun) }

    /// 0.1234 → "12.3%".
    public static func percent(_ part: Int64, of whole: Int64) -> String {
        guard whole > 0 else { return "–" }
        let tenths = (part * 1000 + whole / 2) / whole
        return "\(tenths / 10).\(tenths % 10)%"
    }

    public static func seconds(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(Timestamp.pad(hundredths % 100, 2)) s"
    }

    public static func megabytes(_ bytes: Int64) -> String {
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}

extension String {
    public func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    public func leftPadding(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
