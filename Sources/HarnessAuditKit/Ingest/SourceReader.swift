#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The first pipeline stage: for each input, plan it against the store, then read,
/// decompress and split it into batches of lines, compressing each batch into the raw
/// block that keeps every line byte for byte.
final class SourceReader {
    let options: IngestOptions
    let planner: SourcePlanner
    let output: BlockingQueue<PipelineMessage>
    private let compressor: Zstd.Compressor
    static let fingerprintBytes = 64 * 1024

    init(options: IngestOptions, planner: SourcePlanner, output: BlockingQueue<PipelineMessage>) throws(HarnessAuditError) {
        compressor = try Zstd.Compressor(level: 1)
        self.options = options
        self.planner = planner
        self.output = output
    }

    /// How far planning may run ahead of reading, in bytes of input: files are claimed in the store when
    /// planned, so a claim waits at most for this much input to be read (a file larger than this is
    /// planned only once everything before it was read).
    static let planAheadBytes: Int64 = 64 << 20

    /// An input planned against the store, ready to stream or already answered.
    enum Planned {
        case stream(SourceStart, ByteSource, bytes: Int64)
        case done(PipelineMessage)
    }

    /// Plans each input on a thread of its own while the inputs before it are read: planning waits for
    /// the store's write lock, which the writer takes for every batch, and with many small files that
    /// wait, spent in line with reading, was half the reader's time (2,900 Claude transcripts: 0.85 s
    /// of 1.7 s, README, Performance).
    ///
    /// When the pipeline stops early (the writer failed), inputs planned but not read give their claims back
    /// (`SourcePlanner.release`), so the store does not show them as being ingested.
    func run(_ items: [InputItem]) {
        let planned = BlockingQueue<Planned>(capacity: 4)
        let budget = ByteBudget(limit: SourceReader.planAheadBytes)
        let planning = WorkerThread {
            for item in items {
                var bytes = SourceReader.planAheadBytes
                if case .file(let path) = item.location, let size = SourceReader.fileSize(path) { bytes = size }
                guard budget.acquire(bytes) else { break }
                let result: Planned
                do {
                    result = try self.plan(item, bytes: bytes, stopped: { budget.isClosed })
                } catch {
                    result = .done(.failed(InputProblem(path: item.displayPath, reason: "\(error)")))
                }
                if case .done = result { budget.release(bytes) }
                if !planned.push(result) {
                    if case .stream(let start, _, _) = result { try? self.planner.release(start) }
                    break
                }
            }
            planned.close()
        }
        var unread: [SourceStart] = []
        while let next = planned.pop() {
            switch next {
            case .done(let message):
                if !output.push(message) {
                    budget.close()
                    planned.close()
                }
            case .stream(let start, let source, let bytes):
                guard output.push(.begin(start)) else {
                    budget.close()
                    planned.close()
                    unread.append(start)
                    continue
                }
                do {
                    try stream(source, start: start)
                } catch {
                    output.push(.failed(InputProblem(path: start.displayPath, reason: "\(error)")))
                }
                budget.release(bytes)
            }
        }
        budget.close()
        planning.join()
        // The planning thread is done with the planner's connection: this thread may use it now.
        for start in unread { try? planner.release(start) }
    }

    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }

    /// Plans one input; `stopped` ends the wait for a file another process is ingesting.
    private func plan(_ item: InputItem, bytes: Int64, stopped: () -> Bool) throws(HarnessAuditError) -> Planned {
        switch item.location {
        case .standardInput:
            return .stream(try planner.planStandardInput(displayPath: "-"), ByteSource(standardInputNamed: "-"), bytes: bytes)
        case .file(let path):
            while true {
                let file = try ByteSource(path: path, displayPath: item.displayPath)
                let info = file.fileInfo()
                let plan = try planner.plan(
                    displayPath: item.displayPath, size: info?.size ?? 0, mtime: info?.mtimeMillis ?? 0,
                    prefixHash: { (length) throws(HarnessAuditError) -> String in
                        try SourceReader.prefixHash(path: path, displayPath: item.displayPath, length: Int(length))
                    },
                    fullSHA256: { () throws(HarnessAuditError) -> String in
                        try SourceReader.sha256(path: path, displayPath: item.displayPath)
                    })
                switch plan {
                case .identical(let existingPath, let rejectedLines, let partial):
                    var skipped = SourceSummary(path: item.displayPath, status: .skippedIdentical, identicalTo: existingPath)
                    skipped.earlierRejectedLines = rejectedLines
                    skipped.earlierPartial = partial
                    return .done(.skipped(skipped))
                case .busy:
                    if stopped() {
                        return .done(.failed(InputProblem(path: item.displayPath, reason: "not read: the ingest stopped")))
                    }
                    usleep(250_000)
                case .ingest(let start):
                    return .stream(start, file, bytes: bytes)
                }
            }
        }
    }

    /// How many first lines of a resumed source are sent ahead (`PipelineMessage.head`).
    static let headLines: Int64 = 8

    enum CodexStateKind { case meta, turn }

    /// Whether a line is a Codex rollout's `session_meta` or `turn_context`: its `type` comes within its first bytes.
    static func codexStateKind(_ bytes: UnsafeRawBufferPointer) -> CodexStateKind? {
        let prefix = bytes.prefix(96)
        func contains(_ needle: StaticString) -> Bool {
            let n = needle.utf8CodeUnitCount
            guard prefix.count >= n else { return false }
            let pattern = UnsafeRawBufferPointer(start: needle.utf8Start, count: n)
            var i = prefix.startIndex
            while i + n <= prefix.endIndex {
                if prefix[i] == pattern[0] && prefix[i..<(i + n)].elementsEqual(pattern) { return true }
                i += 1
            }
            return false
        }
        if contains("\"turn_context\"") { return .turn }
        if contains("\"session_meta\"") { return .meta }
        return nil
    }

    /// Whether a line is a `harness-v1` `session_start` (read on its bytes: most lines are not).
    static func startsHarnessV1Session(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let needle: StaticString = "\"session_start\""
        let n = needle.utf8CodeUnitCount
        guard bytes.count >= n, let base = bytes.baseAddress else { return false }
        return StringSearch.find(base, bytes.count, UnsafeRawPointer(needle.utf8Start), n) != nil
    }

    private func stream(_ source: ByteSource, start: SourceStart) throws(HarnessAuditError) {
        let decoder = GzipDecoder(source: source)
        let splitter = LineSplitter(maximumLineBytes: options.maximumLineBytes)
        var batch = RawBatch(sourceID: start.sourceID, firstLine: start.skipLines + 1)
        var lastTerminated = true
        var lastNumber: Int64 = 0
        // A resumed source's lines already stored tell the decoders what the file is: its first lines (a Codex
        // rollout's session, a transcript's), and the last Codex `session_meta` and `turn_context` before the new lines
        // (the policy and working directory in force). They are sent ahead of the new lines, to restore that, not to
        // be stored again.
        var head: [[UInt8]] = []
        var lastMeta: [UInt8]?, lastTurn: [UInt8]?
        // `harness-v1` sessions begun after the first lines (a log of many sessions): their `session_start` lines, the
        // last 256.
        var starts: [[UInt8]] = []
        do {
            try splitter.run(decoder) { (line: InputLine) throws(HarnessAuditError) -> Bool in
                lastNumber = line.number
                lastTerminated = line.terminated
                if line.number <= start.skipLines {
                    if line.oversize == nil {
                        if line.number <= SourceReader.headLines {
                            head.append(Array(line.bytes))
                        } else if let kind = SourceReader.codexStateKind(line.bytes) {
                            if kind == .meta { lastMeta = Array(line.bytes) } else { lastTurn = Array(line.bytes) }
                        } else if SourceReader.startsHarnessV1Session(line.bytes) {
                            if starts.count >= 256 { starts.removeFirst() }
                            starts.append(Array(line.bytes))
                        }
                    }
                    if line.number == start.skipLines {
                        output.push(.head(sourceID: start.sourceID, lines: head + starts + [lastMeta, lastTurn].compactMap { $0 }))
                    }
                    return true
                }
                if batch.offsets.isEmpty { batch.firstLine = line.number }
                if let oversize = line.oversize { batch.oversize[batch.offsets.count] = oversize }
                batch.offsets.append(Int32(batch.data.count))
                batch.data.append(contentsOf: line.bytes)
                batch.data.append(0x0A)
                if batch.offsets.count >= options.batchLines || batch.data.count >= options.batchBytes {
                    batch.bytesRead = source.bytesRead
                    send(&batch, next: line.number + 1)
                }
                return true
            }
        } catch {
            // A read error mid-file: keep what was read, and mark the source partial.
            finish(source: source, decoder: decoder, start: start, batch: &batch, totalLines: lastNumber,
                   lastTerminated: lastTerminated, readError: "\(error)")
            return
        }
        finish(source: source, decoder: decoder, start: start, batch: &batch, totalLines: lastNumber,
               lastTerminated: lastTerminated, readError: nil)
    }

    private func finish(source: ByteSource, decoder: GzipDecoder, start: SourceStart, batch: inout RawBatch,
                        totalLines: Int64, lastTerminated: Bool, readError: String?) {
        var problem = readError
        if let streamProblem = decoder.problem {
            problem = problem.map { $0 + "; " + streamProblem.message } ?? streamProblem.message
        }
        let cut = decoder.problem.map { $0.kind != .trailingGarbage } ?? false || readError != nil
        if !batch.offsets.isEmpty {
            batch.lastLineUnterminated = !lastTerminated
            batch.streamCutAfterLastLine = cut && !lastTerminated
            batch.bytesRead = source.bytesRead
            send(&batch, next: totalLines + 1)
        }
        let digest = SHA256Digest.hex(source.digest.finalize())
        output.push(.end(SourceEnd(
            sourceID: start.sourceID, displayPath: start.displayPath, size: source.bytesRead, sha256: digest,
            compression: decoder.compression, gzipMembers: decoder.members, problem: problem,
            totalLines: totalLines, tailOpen: !lastTerminated && totalLines > 0)))
    }

    private func send(_ batch: inout RawBatch, next: Int64) {
        batch.compressed = batch.data.withUnsafeBytes { compressor.compress($0) }
        output.push(.raw(batch))
        batch = RawBatch(sourceID: batch.sourceID, firstLine: next)
        batch.data.reserveCapacity(options.batchBytes + 64 * 1024)
    }

    /// SHA-256 (hex) of the first `length` bytes of a file (at most 64 KiB are used as a
    /// fingerprint): recognises the same file, or a grown copy of it.
    static func prefixHash(path: String, displayPath: String, length: Int) throws(HarnessAuditError) -> String {
        let file = try ByteSource(path: path, displayPath: displayPath)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(length, 1), alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while total < length {
            let n = try file.read(into: buffer + total, capacity: length - total)
            if n == 0 { break }
            total += n
        }
        return SHA256Digest.hex(SHA256Digest.digest(UnsafeRawBufferPointer(start: buffer, count: total)))
    }

    /// SHA-256 (hex) of a whole file.
    static func sha256(path: String, displayPath: String) throws(HarnessAuditError) -> String {
        let file = try ByteSource(path: path, displayPath: displayPath)
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        while try file.read(into: buffer, capacity: capacity) > 0 {}
        return SHA256Digest.hex(file.digest.finalize())
    }
}
