/// The second pipeline stage: turns each line of a raw batch into events (parse, detect
/// the format, decode, enrich) or a recorded rejection, and keeps the line accounting.
final class LineDecoder {
    private let tape = JSONTape()
    private let state = DecodingState()
    private let decoders: [LogFormat: any FormatDecoder]
    private let enrich: (inout EventRecord, JSONValue?) -> Void
    /// Raw bytes kept in a rejection record (the full line is also in the raw block).
    static let rejectedRawLimit = 1 << 20

    init(decoders: [any FormatDecoder] = LineDecoder.standardDecoders,
         enrich: @escaping (inout EventRecord, JSONValue?) -> Void = { _, _ in }) {
        var table: [LogFormat: any FormatDecoder] = [:]
        for decoder in decoders { table[decoder.format] = decoder }
        self.decoders = table
        self.enrich = enrich
    }

    static var standardDecoders: [any FormatDecoder] {
        [HarnessV1Decoder(), ClaudeHookDecoder(), ClaudeTranscriptDecoder(), CodexRolloutDecoder(), OTLPLogsDecoder(),
         K8sAuditDecoder()]
    }

    func beginSource(path: String = "") { state.beginSource(path: path) }

    /// Restores what a file's first lines told the decoders when an ingest resumes after them (`SourceReader` sends
    /// them, already stored): a Codex rollout's `session_meta` and `turn_context` (its session, working directory and
    /// policy), a Claude transcript's session, and the context `harness-v1` sessions stated (their `session_start`).
    /// Nothing is stored, and no other state is touched (a `harness-v1` hash chain must not see lines out of place).
    func prime(_ lines: [[UInt8]]) {
        for line in lines {
            line.withUnsafeBytes { bytes in
                do throws(JSONTape.ParseError) { try tape.parse(bytes) } catch { return }
                let root = JSONValue(bytes: bytes, tape: tape)
                guard root.isObject, let format = FormatDetector.detect(root) else { return }
                switch format {
                case .codexRollout:
                    guard let type = root["type"]?.string, type == "session_meta" || type == "turn_context",
                          let decoder = decoders[format] else { return }
                    var discarded: [EventRecord] = []
                    try? decoder.decode(root, line: DecodeLine(bytes: bytes, number: 0), state: state, into: &discarded)
                case .claudeTranscript:
                    if state.transcriptSession == nil, let session = (root["sessionId"] ?? root["session_id"])?.string {
                        state.transcriptSession = session
                    }
                case .harnessV1:
                    // A session's `session_start` (or a line stating its context) read in an earlier run: its context
                    // and environment hold for its lines in the part of the file not yet read.
                    HarnessV1Decoder.prime(root, state: state)
                default:
                    return
                }
            }
        }
    }

    /// Outcome of one line.
    enum LineResult {
        case blank
        case events(Int)
        case rejected(RejectedLine)
    }

    func decode(_ batch: RawBatch) -> ParsedBatch {
        var parsed = ParsedBatch(sourceID: batch.sourceID, firstLine: batch.firstLine, lineCount: batch.lineCount,
                                 rawSize: batch.data.count, compressed: batch.compressed)
        parsed.bytesRead = batch.bytesRead
        parsed.events.reserveCapacity(batch.lineCount)
        batch.data.withUnsafeBytes { data in
            for index in 0..<batch.lineCount {
                let number = batch.firstLine + Int64(index)
                let range = batch.line(index)
                var bytes = UnsafeRawBufferPointer(rebasing: data[range])
                if bytes.count > 0 && bytes[bytes.count - 1] == 0x0D {
                    bytes = UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 1)])
                }
                let isLast = index == batch.lineCount - 1
                let result = decodeLine(
                    bytes, number: number, oversize: batch.oversize[index],
                    cut: isLast && batch.streamCutAfterLastLine,
                    unterminated: isLast && batch.lastLineUnterminated && !batch.streamCutAfterLastLine, into: &parsed.events)
                switch result {
                case .blank:
                    parsed.blankLines += 1
                    if isLast && batch.lastLineUnterminated { parsed.tailOutcome = "blank" }
                case .events:
                    parsed.eventLines += 1
                    if isLast && batch.lastLineUnterminated { parsed.tailOutcome = "event" }
                case .rejected(let rejection):
                    parsed.rejections.append(rejection)
                    if isLast && batch.lastLineUnterminated { parsed.tailOutcome = "rejected" }
                }
            }
        }
        return parsed
    }

    /// Decodes one line. `bytes` excludes the newline and a trailing carriage return.
    func decodeLine(_ raw: UnsafeRawBufferPointer, number: Int64, oversize: InputLine.Oversize? = nil,
                    cut: Bool = false, unterminated: Bool = false,
                    into events: inout [EventRecord]) -> LineResult {
        if let oversize {
            // A chained log's next line names this one's hash (taken whole as the line streamed by).
            if let digest = Digest32(bytes: oversize.sha256) { state.noteRejectedDigest(digest) }
            return .rejected(LineDecoder.rejection(
                raw, number: number, reason: LineRejection.tooLong,
                detail: "line is \(oversize.totalLength) bytes, over the limit; its first \(raw.count) bytes are kept",
                keys: nil, fullLength: oversize.totalLength, sha256: oversize.sha256))
        }
        var bytes = raw
        // A byte-order mark opens the file, or a later line where files were joined (`cat a.jsonl b.jsonl`, a gzip
        // member appended): it is not part of the JSON.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            bytes = UnsafeRawBufferPointer(rebasing: bytes[3...])
        }
        if LineDecoder.isBlank(bytes) { return .blank }
        do throws(JSONTape.ParseError) {
            try tape.parse(bytes)
        } catch {
            // The file ends inside a JSON object (the parser ran out of input): a line still being written. Junk
            // without a newline is judged as junk.
            let endsEarly = error.offset >= bytes.count - 1 || error.message.hasPrefix("unexpected end of input")
                || error.message == "unterminated string" || error.message.hasPrefix("truncated")
            let unterminated = unterminated && bytes.first == UInt8(ascii: "{") && endsEarly
            let reason: String
            if cut || unterminated {
                reason = LineRejection.truncated
            } else if error.message.contains("UTF-8") {
                reason = LineRejection.invalidUTF8
            } else if error.message.hasPrefix("nesting deeper") {
                reason = LineRejection.tooDeep
            } else if bytes.contains(0) {
                reason = LineRejection.binary
            } else {
                reason = LineRejection.invalidJSON
            }
            var detail = cut ? "the input ended in the middle of this line (\(error.description))" : error.description
            if unterminated {
                // A log being written: its last line is read again when ingest meets the file grown.
                detail = "the file ends in the middle of this line, with no newline: it may still be being written "
                    + "(ingesting the file again once it has grown reads the line anew; \(error.description))"
            }
            if reason == LineRejection.binary, LineDecoder.looksUTF16(bytes) {
                detail += "; the file is UTF-16 text (as Windows PowerShell's `Out-File` and `>` write it), not UTF-8: "
                    + "convert it first (`iconv -f UTF-16 -t UTF-8 FILE > FILE.jsonl`)"
            }
            if !cut && !unterminated, LineDecoder.opensPrettyJSON(bytes) {
                detail += "; the line opens a JSON value spread over many lines: the file is pretty-printed JSON (such as Gemini CLI's "
                    + "local telemetry outfile), not one JSON object per line; ingest the OTLP JSON a collector exports instead"
            }
            // A chained log's next line names this one's hash: that link is to a line the rejection accounts for.
            state.noteRejectedLine(bytes)
            return .rejected(LineDecoder.rejection(raw, number: number, reason: reason, detail: detail, keys: nil))
        }
        let root = JSONValue(bytes: bytes, tape: tape)
        guard root.isObject else {
            return .rejected(LineDecoder.rejection(
                raw, number: number, reason: LineRejection.notObject,
                detail: "the line is a JSON \(LineDecoder.kindName(root.kind)), not an object", keys: nil))
        }
        guard let format = FormatDetector.detect(root), let decoder = decoders[format] else {
            let keys = root.keys
            let shown = keys.prefix(12).joined(separator: ", ") + (keys.count > 12 ? ", …" : "")
            return .rejected(LineDecoder.rejection(
                raw, number: number, reason: LineRejection.unknownFormat,
                detail: "a JSON object of no known format (keys: \(shown.isEmpty ? "none" : shown))",
                keys: LineDecoder.keysJSON(keys)))
        }
        let before = events.count
        do throws(LineRejection) {
            try decoder.decode(root, line: DecodeLine(bytes: bytes, number: number), state: state, into: &events)
        } catch {
            events.removeSubrange(before...)
            state.noteRejectedLine(bytes)
            return .rejected(LineDecoder.rejection(raw, number: number, reason: error.reason, detail: error.detail,
                                                   keys: error.keys.map(LineDecoder.keysJSON)))
        }
        if events.count == before {
            // A valid record that carries no events (an empty batch): keep it visible.
            var event = EventRecord(format: format, kind: .other)
            event.name = "empty"
            event.contentKey = DecodeSupport.contentKey(line: bytes, record: 0)
            events.append(event)
        }
        if tape.hadDuplicateKeys {
            for i in before..<events.count { events[i].flags.insert(.duplicateKeys) }
        }
        for i in before..<events.count {
            events[i].line = number
            if events[i].outcome == .failure, let refusal = state.platformRefusal(events[i]) {
                // DESIGN §4: an action the platform refused did not run; it is a blocked attempt.
                events[i].outcome = .denied
                events[i].attributes = DecodeSupport.addingAttribute("refused", refusal, to: events[i].attributes)
            }
            enrich(&events[i], nil)
            if state.scriptsUnsettled { state.settleScripts(events[i]) }
            if state.selectionsUnsettled { state.settleSelections(events[i]) }
            state.storeOnceWithCall(&events[i])
        }
        return .events(events.count - before)
    }

    /// A line of UTF-16 text: a UTF-16 byte-order mark, or ASCII characters each beside a zero byte (`{\0"\0…`, the
    /// lines after the first starting with the zero their newline left).
    static func looksUTF16(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 4 else { return false }
        if bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF { return true }
        var zeros = 0, ascii = 0
        for byte in bytes.prefix(256) {
            if byte == 0 { zeros += 1 } else if byte >= 0x09 && byte < 0x7F { ascii += 1 }
        }
        let sampled = min(bytes.count, 256)
        return zeros * 5 >= sampled * 2 && (zeros + ascii) * 10 >= sampled * 9
    }

    /// A line that is only `{` or `[` (with spaces): the first line of a pretty-printed JSON value.
    static func opensPrettyJSON(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
        var start = 0
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        return end - start == 1 && (bytes[start] == 0x7B || bytes[start] == 0x5B)
    }

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte != 0x20 && byte != 0x09 && byte != 0x0D && byte != 0x0C && byte != 0x0B {
            return false
        }
        return true
    }

    static func kindName(_ kind: JSONTape.Kind) -> String {
        switch kind {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .number: return "number"
        case .true, .false: return "boolean"
        case .null: return "null"
        }
    }

    static func keysJSON(_ keys: [String]) -> String {
        var writer = JSONWriter()
        writer.beginArray()
        for key in keys { writer.string(key) }
        writer.endArray()
        return writer.output
    }

    static func rejection(_ raw: UnsafeRawBufferPointer, number: Int64, reason: String, detail: String, keys: String?,
                          fullLength: Int64? = nil, sha256: [UInt8]? = nil) -> RejectedLine {
        let kept = min(raw.count, rejectedRawLimit)
        let truncated = fullLength != nil || kept < raw.count
        let digest: String? = sha256.map(SHA256Digest.hex)
            ?? (truncated ? SHA256Digest.hex(SHA256Digest.digest(raw)) : nil)
        return RejectedLine(line: number, reason: reason, detail: detail, keys: keys,
                            raw: Array(raw.prefix(kept)), rawLength: fullLength ?? Int64(raw.count),
                            rawTruncated: truncated, rawSHA256: digest)
    }
}
