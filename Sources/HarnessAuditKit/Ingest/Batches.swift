/// Lines read from one source, on their way from the reader to the parser thread.
struct RawBatch: @unchecked Sendable {
    var sourceID: Int64
    var firstLine: Int64
    /// Every line followed by a newline: exactly the raw block that is stored.
    var data: [UInt8] = []
    /// Start offset of each line in `data`.
    var offsets: [Int32] = []
    /// Lines longer than the limit (index in the batch → what was measured).
    var oversize: [Int: InputLine.Oversize] = [:]
    /// The last line had no newline at the end of the input.
    var lastLineUnterminated = false
    /// The compressed stream ended abnormally right after the last line of this batch.
    var streamCutAfterLastLine = false
    /// Compressed bytes read from the source so far (for progress).
    var bytesRead: Int64 = 0
    /// zstd-compressed `data`.
    var compressed: [UInt8] = []

    var lineCount: Int { offsets.count }

    func line(_ index: Int) -> Range<Int> {
        let start = Int(offsets[index])
        let end = index + 1 < offsets.count ? Int(offsets[index + 1]) - 1 : data.count - 1
        return start..<end
    }
}

/// A rejected line as stored.
struct RejectedLine: Sendable {
    var line: Int64
    var reason: String
    var detail: String
    var keys: String?
    var raw: [UInt8]
    var rawLength: Int64
    var rawTruncated: Bool
    var rawSHA256: String?
}

/// A batch after parsing: events, rejections and line accounting, for the writer.
struct ParsedBatch: @unchecked Sendable {
    var sourceID: Int64
    var firstLine: Int64
    var lineCount: Int
    var rawSize: Int
    var compressed: [UInt8]
    var events: [EventRecord] = []
    var rejections: [RejectedLine] = []
    var eventLines = 0
    var blankLines = 0
    var bytesRead: Int64 = 0
    /// How the last line of the batch ended up, when it was an unterminated final line.
    var tailOutcome: String?
}

/// Where a source starts, decided by `SourcePlanner`.
struct SourceStart: Sendable {
    var sourceID: Int64
    var displayPath: String
    var skipLines: Int64
    var resumed: Bool
    /// Lines of the part read before that an earlier run rejected.
    var earlierRejectedLines: Int64 = 0
}

/// How a source ended.
struct SourceEnd: Sendable {
    var sourceID: Int64
    var displayPath: String
    var size: Int64
    var sha256: String
    var compression: String
    var gzipMembers: Int
    var problem: String?
    var totalLines: Int64
    var tailOpen: Bool
}

/// Messages along the pipeline, in order.
enum PipelineMessage: @unchecked Sendable {
    case begin(SourceStart)
    /// The first lines of a source an ingest resumes after (`LineDecoder.prime`).
    case head(sourceID: Int64, lines: [[UInt8]])
    case raw(RawBatch)
    case parsed(ParsedBatch)
    case end(SourceEnd)
    case skipped(SourceSummary)
    case failed(InputProblem)

    /// A message that holds no batch of lines or events (it does not count against a queue's memory bound).
    var isLight: Bool {
        switch self {
        case .raw, .parsed: return false
        case .begin, .head, .end, .skipped, .failed: return true
        }
    }
}
