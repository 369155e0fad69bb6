/// The outcome of ingesting one source.
public struct SourceSummary: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Read to the end.
        case complete
        /// Read up to a problem (truncated or corrupt gzip); everything before it is kept.
        case partial
        /// Identical to a source already in the store; nothing was added.
        case skippedIdentical = "skipped"
        /// Could not be read at all.
        case failed
    }

    public var path: String
    public var status: Status
    public var lines: Int64 = 0
    public var eventLines: Int64 = 0
    public var rejectedLines: Int64 = 0
    public var blankLines: Int64 = 0
    public var eventsAdded: Int64 = 0
    public var eventsDuplicate: Int64 = 0
    /// Lines skipped because an earlier run already committed them (resumed source).
    public var resumedAfterLine: Int64 = 0
    public var problem: String?
    /// For skipped sources: the stored source with the same content.
    public var identicalTo: String?
    /// Lines of this content an earlier run rejected (a skipped copy's, or a resumed file's part read before), and
    /// whether the stored copy was read only in part: `ingest --strict` fails on them as on this run's.
    public var earlierRejectedLines: Int64 = 0
    public var earlierPartial = false
    /// The first few rejected lines: (line, reason detail), for one-line messages.
    public var rejectionSamples: [RejectionSample] = []

    /// Why none of the file could be read, for a file that makes the ingest exit 3.
    public var unreadableMessage: String {
        "\(path): no line could be read (" + (lines == 0 ? problem ?? "damaged" : "\(rejectedLines) rejected") + ")"
    }

    public struct RejectionSample: Sendable, Equatable {
        public var line: Int64
        public var reason: String
        public var detail: String
    }
}

/// The outcome of one ingest run.
public struct IngestSummary: Sendable {
    public var sources: [SourceSummary] = []
    public var problems: [InputProblem] = []
    public var elapsedSeconds: Double = 0
    public var bytesRead: Int64 = 0
    /// Busy seconds of the parse stage (JSON, formats, classification) and of the store writer;
    /// the pipeline runs them on separate threads, so the larger one bounds the speed.
    public var parseSeconds: Double = 0
    public var writeSeconds: Double = 0

    /// Sources read this run of which no line could be read (every line rejected: binary junk, another format):
    /// unreadable input, though each rejection is recorded. A file resumed after lines already stored is readable
    /// whatever its new lines are (a crash that left a corrupt line at its end).
    /// Files of which no line could be read: every line rejected, or a compressed stream damaged before its
    /// first line ended (a download cut short).
    public var unreadableSources: [SourceSummary] {
        sources.filter {
            ($0.status == .complete || $0.status == .partial) && $0.resumedAfterLine == 0 && $0.eventLines == 0
                && ($0.rejectedLines > 0 || $0.status == .partial && $0.lines == 0)
        }
    }

    public var eventsAdded: Int64 { sources.reduce(0) { $0 + $1.eventsAdded } }
    public var eventsDuplicate: Int64 { sources.reduce(0) { $0 + $1.eventsDuplicate } }
    public var lines: Int64 { sources.reduce(0) { $0 + $1.lines } }
    public var rejectedLines: Int64 { sources.reduce(0) { $0 + $1.rejectedLines } }
    public var blankLines: Int64 { sources.reduce(0) { $0 + $1.blankLines } }
    public var eventLines: Int64 { sources.reduce(0) { $0 + $1.eventLines } }

    /// True when some input could not be read, or was read only partly.
    public var hadInputProblems: Bool {
        !problems.isEmpty || sources.contains { $0.status == .failed || $0.status == .partial }
    }
}
