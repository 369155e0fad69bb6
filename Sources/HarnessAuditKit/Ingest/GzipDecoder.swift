import CZlib
import CZstd

/// Turns a byte stream into decompressed bytes. Gzip and zstd are recognised by their magic
/// bytes (1f 8b; 28 b5 2f fd), not by the file name; anything else passes through unchanged.
/// Handles multi-member gzip (`cat a.gz b.gz`), zero-length members and zero padding after the
/// last member, concatenated zstd frames, and reports truncation, corruption and trailing garbage
/// precisely.
final class GzipDecoder {
    enum Mode { case undecided, plain, gzip, zstd }

    /// A problem with the compressed stream. Lines decoded before it are kept.
    struct StreamProblem: Equatable, Sendable {
        enum Kind: Equatable, Sendable { case truncated, corrupt, trailingGarbage }
        var kind: Kind
        var message: String
    }

    private let source: ByteSource
    private let inputCapacity = 256 * 1024
    private let inputBuffer: UnsafeMutableRawPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var sourceDone = false
    private var stream: UnsafeMutablePointer<z_stream>
    private var streamInitialised = false
    private var memberOpen = false
    private(set) var mode: Mode = .undecided
    private(set) var members = 0
    private(set) var problem: StreamProblem?
    private var finished = false
    private var compressedOffsetBase: Int64 = 0
    /// The zstd decompression stream, and whether a frame is under way in it.
    private var zstdStream: OpaquePointer?
    private var zstdFrameOpen = false

    init(source: ByteSource) {
        self.source = source
        inputBuffer = UnsafeMutableRawPointer.allocate(byteCount: inputCapacity, alignment: 16)
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
    }

    deinit {
        if streamInitialised { inflateEnd(stream) }
        if let zstdStream { ha_zstd_free_dstream(zstdStream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        inputBuffer.deallocate()
    }

    var isGzip: Bool { mode == .gzip }

    /// The compression the stream has: `gzip`, `zstd` or `none`.
    var compression: String {
        switch mode {
        case .gzip: "gzip"
        case .zstd: "zstd"
        case .plain, .undecided: "none"
        }
    }

    /// Fills the input buffer when empty. Returns false at end of input.
    private func refill() throws(HarnessAuditError) -> Bool {
        if inputStart < inputEnd { return true }
        if sourceDone { return false }
        compressedOffsetBase += Int64(inputEnd)
        inputStart = 0
        inputEnd = try source.read(into: inputBuffer, capacity: inputCapacity)
        if inputEnd == 0 {
            sourceDone = true
            return false
        }
        return true
    }

    /// Ensures at least two bytes are buffered when the source has them (for magic detection).
    private func peekTwo() throws(HarnessAuditError) -> (UInt8, UInt8)? {
        guard try refill() else { return nil }
        if inputEnd - inputStart >= 2 {
            let p = inputBuffer.assumingMemoryBound(to: UInt8.self)
            return (p[inputStart], p[inputStart + 1])
        }
        // One byte buffered: move it to the front and read more.
        let p = inputBuffer.assumingMemoryBound(to: UInt8.self)
        let first = p[inputStart]
        p[0] = first
        compressedOffsetBase += Int64(inputStart)
        inputStart = 0
        inputEnd = 1
        while inputEnd < 2 && !sourceDone {
            let n = try source.read(into: inputBuffer + inputEnd, capacity: inputCapacity - inputEnd)
            if n == 0 { sourceDone = true } else { inputEnd += n }
        }
        return inputEnd >= 2 ? (p[0], p[1]) : nil
    }

    /// Decompressed bytes read so far are delivered into `output`; returns the count, 0 at end.
    func read(into output: UnsafeMutableRawPointer, capacity: Int) throws(HarnessAuditError) -> Int {
        if finished { return 0 }
        if mode == .undecided {
            if let (a, b) = try peekTwo(), a == 0x1F, b == 0x8B {
                mode = .gzip
            } else if let (a, b) = try peekTwo(), a == 0x28 && b == 0xB5 || a & 0xF0 == 0x50 && b == 0x2A {
                // A zstd frame (28 b5 2f fd), or a skippable frame (5? 2a 4d 18) such as pzstd writes first.
                mode = .zstd
            } else {
                mode = .plain
            }
        }
        if mode == .plain {
            guard try refill() else { finished = true; return 0 }
            let n = min(capacity, inputEnd - inputStart)
            output.copyMemory(from: inputBuffer + inputStart, byteCount: n)
            inputStart += n
            return n
        }
        if mode == .zstd { return try zstdInto(output, capacity: capacity) }
        return try inflateInto(output, capacity: capacity)
    }

    /// Decompresses zstd frames one after another (`cat a.zst b.zst`, as zstd itself reads them). A frame
    /// cut short is a truncation; bytes that are not a frame where one should start are corruption.
    private func zstdInto(_ output: UnsafeMutableRawPointer, capacity: Int) throws(HarnessAuditError) -> Int {
        if zstdStream == nil {
            // Ingest checked the library before reading; a stream read on its own (tests, tools) says here.
            try Zstd.requireLibrary()
            guard let created = ha_zstd_create_dstream() else {
                problem = StreamProblem(kind: .corrupt, message: "cannot initialise the zstd decoder")
                finished = true
                return 0
            }
            zstdStream = created
        }
        while true {
            let haveInput = try refill()
            // At the end of the input the decoder may still hold output a full buffer left behind.
            if !haveInput && !zstdFrameOpen {
                finished = true
                return 0
            }
            var input = ha_zstd_in_buffer(src: haveInput ? UnsafeRawPointer(inputBuffer + inputStart) : nil,
                                      size: haveInput ? inputEnd - inputStart : 0, pos: 0)
            var out = ha_zstd_out_buffer(dst: output, size: capacity, pos: 0)
            let status = ha_zstd_decompress_stream(zstdStream, &out, &input)
            inputStart += input.pos
            if ha_zstd_is_error(status) != 0 {
                let reason = String(cString: ha_zstd_error_name(status))
                let offset = compressedOffsetBase + Int64(inputStart)
                problem = StreamProblem(kind: .corrupt,
                                        message: "corrupt zstd data after frame \(members) near compressed byte \(offset): \(reason)")
                finished = true
                return out.pos
            }
            if status == 0 {
                if zstdFrameOpen || out.pos > 0 { members += 1 }
                zstdFrameOpen = false
            } else {
                zstdFrameOpen = true
            }
            if out.pos > 0 { return out.pos }
            if !haveInput {
                if zstdFrameOpen {
                    problem = StreamProblem(kind: .truncated, message: "truncated zstd stream: input ended inside frame \(members + 1)")
                }
                finished = true
                return 0
            }
        }
    }

    private func startMember() -> Bool {
        if streamInitialised {
            inflateReset(stream)
        } else {
            // 15 + 16: gzip wrapper only (the magic was already checked).
            guard ha_inflate_init2(stream, 15 + 16) == Z_OK else { return false }
            streamInitialised = true
        }
        memberOpen = true
        members += 1
        return true
    }

    private func inflateInto(_ output: UnsafeMutableRawPointer, capacity: Int) throws(HarnessAuditError) -> Int {
        var produced = 0
        while produced == 0 {
            if !memberOpen {
                // Between members: another member, zero padding, garbage, or the end.
                guard let magic = try peekTwo() else {
                    if inputStart < inputEnd, !allZero(from: inputStart) {
                        problem = StreamProblem(kind: .trailingGarbage,
                                                message: "1 byte of trailing data after gzip member \(members) ignored")
                    }
                    finished = true
                    return 0
                }
                if magic.0 == 0x1F && magic.1 == 0x8B {
                    guard startMember() else {
                        problem = StreamProblem(kind: .corrupt, message: "cannot initialise the gzip decoder")
                        finished = true
                        return 0
                    }
                } else {
                    let offset = compressedOffsetBase + Int64(inputStart)
                    if try remainingIsZeroPadding() {
                        finished = true
                        return 0
                    }
                    problem = StreamProblem(
                        kind: .trailingGarbage,
                        message: "data after gzip member \(members) at compressed byte \(offset) is not gzip; ignored")
                    finished = true
                    return 0
                }
            }
            guard try refill() else {
                problem = StreamProblem(kind: .truncated,
                                        message: "truncated gzip stream: input ended inside member \(members)")
                finished = true
                return produced
            }
            stream.pointee.next_in = (inputBuffer + inputStart).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = uInt(inputEnd - inputStart)
            stream.pointee.next_out = output.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(capacity)
            let status = inflate(stream, Z_NO_FLUSH)
            let consumed = (inputEnd - inputStart) - Int(stream.pointee.avail_in)
            inputStart += consumed
            produced = capacity - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                memberOpen = false
                if produced > 0 { return produced }
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                let offset = compressedOffsetBase + Int64(inputStart)
                // A check that fails at the member's end (its CRC-32 or length) says its data is not what was written, not
                // where: every line the member held was read, and any of them may be altered.
                let check = reason == "incorrect data check" || reason == "incorrect length check"
                problem = StreamProblem(kind: .corrupt, message: check
                    ? "gzip member \(members) fails its integrity check (\(reason), at compressed byte \(offset)): the lines it held were read, and any of them may have been altered"
                    : "corrupt gzip data in member \(members) near compressed byte \(offset): \(reason)")
                finished = true
                return produced
            }
        }
        return produced
    }

    private func allZero(from start: Int) -> Bool {
        let p = inputBuffer.assumingMemoryBound(to: UInt8.self)
        for i in start..<inputEnd where p[i] != 0 { return false }
        return true
    }

    /// True when everything left in the input is zero bytes (padding some writers add).
    private func remainingIsZeroPadding() throws(HarnessAuditError) -> Bool {
        while true {
            if !allZero(from: inputStart) { return false }
            inputStart = inputEnd
            guard try refill() else { return true }
        }
    }
}
