/// Renders an `IngestSummary`: one-line warnings naming file and line, a text summary,
/// or JSON.
public enum IngestReportRenderer {
    /// `file:line: reason: detail` for rejected lines (up to `perFileLimit` per file), and
    /// one line per file read in part or not at all.
    /// `earlier`: also a line per file of which an earlier run rejected lines (what `ingest --strict` fails on).
    public static func warnings(_ summary: IngestSummary, perFileLimit: Int, earlier: Bool = false) -> [String] {
        let redactor = Redactor()
        var out: [String] = []
        for problem in summary.problems { out.append("\(problem.path): \(problem.reason)") }
        for source in summary.sources {
            switch source.status {
            case .failed:
                out.append("\(source.path): not ingested: \(source.problem ?? "unreadable")")
            case .partial:
                out.append("\(source.path): read in part: \(source.problem ?? "stream problem")")
            case .complete where isEmpty(source):
                out.append("\(source.path): empty: the file holds no lines, nothing was ingested from it")
            default:
                break
            }
            for sample in source.rejectionSamples.prefix(perFileLimit) {
                // A rejected line's detail quotes the line (its keys, a value that would not parse): masked like any output.
                out.append("\(source.path):\(sample.line): \(sample.reason): \(redactor.redact(sample.detail))")
            }
            if earlier, source.earlierRejectedLines > 0 || source.earlierPartial {
                let what = [source.earlierRejectedLines > 0 ? "\(source.earlierRejectedLines) rejected line\(source.earlierRejectedLines == 1 ? "" : "s")" : nil,
                            source.earlierPartial ? "read in part" : nil].compactMap { $0 }.joined(separator: ", ")
                out.append("\(source.path): \(what) when an earlier ingest read it (see `harness-audit stats`)")
            }
            let hidden = source.rejectedLines - Int64(min(perFileLimit, source.rejectionSamples.count))
            if hidden > 0 {
                out.append("\(source.path): … \(hidden) more rejected lines (see `harness-audit stats`)")
            }
        }
        return out
    }

    /// What makes the ingest exit 3 (a path not read at all, a file of which no line could be read), one line each:
    /// shown even when warnings are not (`--quiet`).
    public static func errors(_ summary: IngestSummary) -> [String] {
        summary.problems.map { "\($0.path): \($0.reason)" }
            + summary.sources.filter { $0.status == .failed }.map { "\($0.path): not ingested: \($0.problem ?? "unreadable")" }
            + summary.unreadableSources.map(\.unreadableMessage)
    }

    /// A file read to its end that held no line at all (an empty file, or gzip of nothing).
    static func isEmpty(_ source: SourceSummary) -> Bool {
        source.status == .complete && source.lines == 0 && source.resumedAfterLine == 0
    }

    public static func text(_ summary: IngestSummary, database: String) -> String {
        let files = summary.sources.count
        let skipped = summary.sources.filter { $0.status == .skippedIdentical }.count
        let rate = summary.elapsedSeconds > 0 ? Double(summary.eventsAdded) / summary.elapsedSeconds : 0
        // Files identical to ones already stored are skipped, not ingested: the headline counts them apart.
        let ingested = files - skipped
        var out = "Ingested \(ingested) file\(ingested == 1 ? "" : "s")"
        if skipped > 0 { out += " (\(skipped) more skipped, unchanged)" }
        out += " into \(database) in \(Format.seconds(summary.elapsedSeconds))"
        if rate > 0 { out += " (\(Format.grouped(Int64(rate))) events/s)" }
        out += "\n"
        out += "  lines read:    \(Format.grouped(summary.lines)) = \(Format.grouped(summary.eventLines)) made events"
        out += " + \(Format.grouped(summary.rejectedLines)) rejected + \(Format.grouped(summary.blankLines)) blank\n"
        out += "  events added:  \(Format.grouped(summary.eventsAdded))"
        out += "  (already in the store: \(Format.grouped(summary.eventsDuplicate)))\n"
        if skipped > 0 { out += "  files skipped: \(skipped) (identical to files already ingested)\n" }
        let resumed = summary.sources.filter { $0.resumedAfterLine > 0 }
        if !resumed.isEmpty {
            out += "  resumed:       \(resumed.count) file\(resumed.count == 1 ? "" : "s") continued after the lines already stored\n"
        }
        let partial = summary.sources.filter { $0.status == .partial }.count
        let failed = summary.sources.filter { $0.status == .failed }.count + summary.problems.count
        let empty = summary.sources.filter(isEmpty).count
        if empty > 0 { out += "  empty files:   \(empty) (see warnings)\n" }
        if partial > 0 { out += "  read in part:  \(partial) (see warnings)\n" }
        if failed > 0 { out += "  not readable:  \(failed) (see warnings)\n" }
        return out
    }

    public static func json(_ summary: IngestSummary, database: String) -> String {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("schemaVersion", 1)
        w.field("database", database)
        w.field("elapsedSeconds", summary.elapsedSeconds)
        w.field("lines", summary.lines)
        w.field("eventLines", summary.eventLines)
        w.field("rejectedLines", summary.rejectedLines)
        w.field("blankLines", summary.blankLines)
        w.field("eventsAdded", summary.eventsAdded)
        w.field("eventsAlreadyPresent", summary.eventsDuplicate)
        w.key("sources")
        w.beginArray()
        let redactor = Redactor()
        for source in summary.sources {
            w.beginObject()
            w.field("path", source.path)
            w.field("status", source.status.rawValue)
            w.field("lines", source.lines)
            w.field("eventLines", source.eventLines)
            w.field("rejectedLines", source.rejectedLines)
            w.field("blankLines", source.blankLines)
            w.field("eventsAdded", source.eventsAdded)
            w.field("eventsAlreadyPresent", source.eventsDuplicate)
            w.field("resumedAfterLine", source.resumedAfterLine)
            w.field("problem", source.problem)
            w.field("identicalTo", source.identicalTo)
            w.field("earlierRejectedLines", source.earlierRejectedLines)
            w.field("earlierPartial", source.earlierPartial)
            w.key("rejected")
            w.beginArray()
            for sample in source.rejectionSamples {
                w.beginObject()
                w.field("line", sample.line)
                w.field("reason", sample.reason)
                w.field("detail", redactor.redact(sample.detail))
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.key("inputProblems")
        w.beginArray()
        for problem in summary.problems {
            w.beginObject()
            w.field("path", problem.path)
            w.field("reason", problem.reason)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.output + "\n"
    }
}
