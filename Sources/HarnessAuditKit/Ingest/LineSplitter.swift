#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of decompressed input, valid only during the callback that receives it.
struct InputLine {
    /// 1-based line number in the decompressed stream.
    var number: Int64
    /// The bytes before the newline (a trailing carriage return is kept: the raw line is byte-exact).
    var bytes: UnsafeRawBufferPointer
    /// False for a last line that had no newline.
    var terminated: Bool
    /// Set when the line was longer than the limit: `bytes` is then only its beginning.
    var oversize: Oversize?

    struct Oversize: Sendable {
        var totalLength: Int64
        var sha256: [UInt8]
    }
}

/// Splits a decompressed stream into lines with bounded memory. A line longer than
/// `maximumLineBytes` is not buffered: its first `keptPrefixBytes` are kept, the rest is
/// hashed and counted, and the line is handed on marked `oversize`.
final class LineSplitter {
    let maximumLineBytes: Int
    let keptPrefixBytes: Int
    private let chunkCapacity = 256 * 1024
    private let chunk: UnsafeMutableRawPointer
    private var carry: [UInt8] = []
    private var oversizeDigest: SHA256Digest?
    private var oversizeLength: Int64 = 0
    private(set) var lineNumber: Int64 = 0

    init(maximumLineBytes: Int, keptPrefixBytes: Int = 64 * 1024) {
        self.maximumLineBytes = max(maximumLineBytes, 1024)
        self.keptPrefixBytes = min(keptPrefixBytes, self.maximumLineBytes)
        chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkCapacity, alignment: 16)
    }

    deinit { chunk.deallocate() }

    /// Reads `decoder` to its end, calling `handle` for every line. `handle` returns false to stop early.
    func run(_ decoder: GzipDecoder, _ handle: (InputLine) throws(HarnessAuditError) -> Bool) throws(HarnessAuditError) {
        while true {
            let n = try decoder.read(into: chunk, capacity: chunkCapacity)
            if n == 0 { break }
            let p = UnsafeRawPointer(chunk)
            var start = 0
            while start < n {
                let remaining = n - start
                let found = memchr(p + start, 0x0A, remaining)
                if let found {
                    let end = p.distance(to: UnsafeRawPointer(found))
                    if !(try finishLine(UnsafeRawBufferPointer(start: p + start, count: end - start), handle)) { return }
                    start = end + 1
                } else {
                    absorb(UnsafeRawBufferPointer(start: p + start, count: remaining))
                    start = n
                }
            }
        }
        if !carry.isEmpty || oversizeDigest != nil {
            lineNumber += 1
            let line = makeCarriedLine(terminated: false)
            _ = try deliverCarry(handle, InputLine(number: lineNumber, bytes: UnsafeRawBufferPointer(start: nil, count: 0),
                                                   terminated: false, oversize: line))
            carry.removeAll(keepingCapacity: false)
            oversizeDigest = nil
        }
    }

    /// Adds a piece of a line that continues in the next chunk.
    private func absorb(_ piece: UnsafeRawBufferPointer) {
        if let digest = oversizeDigest {
            digest.update(piece)
            oversizeLength += Int64(piece.count)
            return
        }
        if carry.count + piece.count > maximumLineBytes {
            startOversize(with: piece)
            return
        }
        carry.append(contentsOf: piece)
    }

    private func startOversize(with piece: UnsafeRawBufferPointer) {
        let digest = SHA256Digest()
        carry.withUnsafeBytes { digest.update($0) }
        digest.update(piece)
        oversizeLength = Int64(carry.count + piece.count)
        if carry.count < keptPrefixBytes {
            carry.append(contentsOf: piece.prefix(keptPrefixBytes - carry.count))
        } else {
            carry.removeSubrange(keptPrefixBytes...)
        }
        oversizeDigest = digest
    }

    /// Hands the carried bytes to `handle` as the line's bytes.
    private func deliverCarry(_ handle: (InputLine) throws(HarnessAuditError) -> Bool,
                              _ template: InputLine) throws(HarnessAuditError) -> Bool {
        let result: Result<Bool, HarnessAuditError> = carry.withUnsafeBytes { buffer in
            var line = template
            line.bytes = buffer
            do throws(HarnessAuditError) {
                return .success(try handle(line))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func makeCarriedLine(terminated: Bool) -> InputLine.Oversize? {
        guard let digest = oversizeDigest else { return nil }
        return InputLine.Oversize(totalLength: oversizeLength, sha256: digest.finalize())
    }

    private func finishLine(_ tail: UnsafeRawBufferPointer,
                            _ handle: (InputLine) throws(HarnessAuditError) -> Bool) throws(HarnessAuditError) -> Bool {
        lineNumber += 1
        if carry.isEmpty && oversizeDigest == nil {
            if tail.count > maximumLineBytes {
                let digest = SHA256Digest()
                digest.update(tail)
                let info = InputLine.Oversize(totalLength: Int64(tail.count), sha256: digest.finalize())
                let prefix = UnsafeRawBufferPointer(rebasing: tail[0..<keptPrefixBytes])
                return try handle(InputLine(number: lineNumber, bytes: prefix, terminated: true, oversize: info))
            }
            return try handle(InputLine(number: lineNumber, bytes: tail, terminated: true, oversize: nil))
        }
        absorb(tail)
        let info = makeCarriedLine(terminated: true)
        let keepGoing = try deliverCarry(handle, InputLine(number: lineNumber, bytes: UnsafeRawBufferPointer(start: nil, count: 0),
                                                           terminated: true, oversize: info))
        carry.removeAll(keepingCapacity: carry.count <= 1 << 20)
        oversizeDigest = nil
        oversizeLength = 0
        return keepGoing
    }
}
