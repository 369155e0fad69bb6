/// Runs an ingest: reader, parser and writer stages on their own threads, linked by
/// bounded queues so memory stays flat whatever the input size.
public final class Ingestor {
    public let options: IngestOptions
    private let makeDecoder: () -> LineDecoder

    public init(options: IngestOptions) {
        self.options = options
        makeDecoder = { LineDecoder(decoders: LineDecoder.standardDecoders, enrich: Enrichment.standard()) }
    }

    /// Opens (creating or upgrading) the store for writing.
    public static func openStore(path: String, busyTimeoutMillis: Int32 = 300_000) throws(HarnessAuditError) -> Database {
        let db = try Database(path: path, access: .readWrite, busyTimeoutMillis: busyTimeoutMillis)
        // A 32 MB page cache: 64 MB measured no faster (10.0–10.4 s either way on 2M events) and
        // took peak memory from 120 MB to 155 MB.
        try db.execute("PRAGMA cache_size=-32768")
        // Checkpoint every 40 MB of WAL instead of every 4 MB: pages that several batches touch (index
        // pages, the table's last leaves) are copied into the database once instead of many times.
        // Measured on the 2M-event benchmark: ingest 11.4 s → 10.0 s, same peak memory.
        try db.execute("PRAGMA wal_autocheckpoint=10000")
        try Schema.migrate(db)
        return db
    }

    /// Ingests the given paths (files, directories, `-`). Input problems are reported in
    /// the summary, not thrown; a store error is thrown.
    public func run(paths: [String]) throws(HarnessAuditError) -> IngestSummary {
        let started = Clock.monotonicSeconds()
        try Zstd.requireLibrary()
        let (items, problems) = InputDiscovery.expand(paths)
        // Nothing to read (a mistyped path): the problems are the answer, and no empty store is left behind.
        if items.isEmpty && !problems.isEmpty {
            var summary = IngestSummary()
            summary.problems = problems
            summary.elapsedSeconds = Clock.monotonicSeconds() - started
            return summary
        }
        let writerDB = try Ingestor.openStore(path: options.databasePath, busyTimeoutMillis: options.busyTimeoutMillis)
        let plannerDB = try Database(path: options.databasePath, access: .readWrite,
                                     busyTimeoutMillis: options.busyTimeoutMillis)
        // The planner's commits are small (a claim per file); checkpoints are the writer's, every 40 MB of WAL.
        // With SQLite's default (every 4 MB) the reader thread checkpointed, syncing the store, between files:
        // 2,900 Claude transcripts made 269 `fdatasync` calls on it (README, Performance).
        try plannerDB.execute("PRAGMA wal_autocheckpoint=0")
        let writer = try EventWriter(db: writerDB)
        // Four batches in each queue bound the memory; a file's begin and end messages take no batch's place,
        // so with many small files (one batch each) the stages still run four files apart, not one.
        let raw = BlockingQueue<PipelineMessage>(capacity: 4, isLight: \.isLight)
        let parsed = BlockingQueue<PipelineMessage>(capacity: 4, isLight: \.isLight)
        let reader = try SourceReader(options: options, planner: SourcePlanner(db: plannerDB), output: raw)
        let decoder = makeDecoder()
        let parseBusy = BusyClock()

        let readerThread = WorkerThread {
            reader.run(items)
            raw.close()
        }
        let parserThread = WorkerThread {
            while let message = raw.pop() {
                let out: PipelineMessage
                switch message {
                case .raw(let batch):
                    let start = Clock.monotonicSeconds()
                    out = .parsed(decoder.decode(batch))
                    parseBusy.add(Clock.monotonicSeconds() - start)
                case .begin(let start):
                    decoder.beginSource(path: start.displayPath)
                    out = .begin(start)
                case .head(_, let lines):
                    decoder.prime(lines)
                    continue
                default: out = message
                }
                if !parsed.push(out) { break }
            }
            parsed.close()
            raw.close()
        }

        var summary = IngestSummary()
        summary.problems = problems
        var current: [Int64: SourceSummary] = [:]
        var storeError: HarnessAuditError?
        var totalEvents: Int64 = 0
        var totalLines: Int64 = 0
        var bytesBase: Int64 = 0
        var currentBytes: Int64 = 0
        var filesDone = 0
        var writeBusy = 0.0
        while let message = parsed.pop() {
            if storeError != nil { continue }
            do throws(HarnessAuditError) {
                switch message {
                case .begin(let start):
                    var entry = SourceSummary(path: start.displayPath, status: .complete)
                    entry.resumedAfterLine = start.skipLines
                    entry.earlierRejectedLines = start.earlierRejectedLines
                    current[start.sourceID] = entry
                    currentBytes = 0
                case .parsed(let batch):
                    if options.discardEvents { continue }
                    let writeStart = Clock.monotonicSeconds()
                    let result = try writer.write(batch)
                    writeBusy += Clock.monotonicSeconds() - writeStart
                    var entry = current[batch.sourceID] ?? SourceSummary(path: "?", status: .complete)
                    entry.lines += Int64(batch.lineCount)
                    entry.eventLines += Int64(batch.eventLines)
                    entry.blankLines += Int64(batch.blankLines)
                    entry.rejectedLines += Int64(batch.rejections.count)
                    entry.eventsAdded += result.added
                    entry.eventsDuplicate += result.duplicate
                    for rejection in batch.rejections where entry.rejectionSamples.count < 20 {
                        entry.rejectionSamples.append(.init(line: rejection.line, reason: rejection.reason,
                                                            detail: rejection.detail))
                    }
                    current[batch.sourceID] = entry
                    totalEvents += result.added
                    totalLines += Int64(batch.lineCount)
                    currentBytes = batch.bytesRead
                    options.progress?(IngestProgress(
                        filesDone: filesDone, filesTotal: items.count, currentFile: entry.path,
                        bytesRead: bytesBase + currentBytes, events: totalEvents, lines: totalLines,
                        elapsedSeconds: Clock.monotonicSeconds() - started))
                case .end(let end):
                    if options.discardEvents { continue }
                    try writer.finish(end)
                    var entry = current.removeValue(forKey: end.sourceID)
                        ?? SourceSummary(path: end.displayPath, status: .complete)
                    entry.status = end.problem == nil ? .complete : .partial
                    entry.problem = end.problem
                    summary.sources.append(entry)
                    bytesBase += end.size
                    summary.bytesRead += end.size
                    filesDone += 1
                case .head:
                    break   // consumed by the parser
                case .skipped(let skipped):
                    summary.sources.append(skipped)
                    filesDone += 1
                case .failed(let problem):
                    summary.sources.append(SourceSummary(path: problem.path, status: .failed, problem: problem.reason))
                    filesDone += 1
                case .raw:
                    break
                }
            } catch {
                storeError = error
                raw.close()
                parsed.close()
            }
        }
        readerThread.join()
        parserThread.join()
        if let storeError { throw storeError }
        summary.elapsedSeconds = Clock.monotonicSeconds() - started
        summary.parseSeconds = parseBusy.total
        summary.writeSeconds = writeBusy
        return summary
    }
}

/// Busy time of a pipeline stage, added on its thread and read after it joined.
final class BusyClock: @unchecked Sendable {
    private(set) var total = 0.0
    func add(_ seconds: Double) { total += seconds }
}
