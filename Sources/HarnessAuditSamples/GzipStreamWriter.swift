import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one gzip member to a file as data arrives (for corpora too large to hold in memory).
/// The header is fixed (no name, mtime 0), so the output is reproducible.
public final class GzipStreamWriter {
    let fd: Int32
    let stream: UnsafeMutablePointer<z_stream>
    var output = [UInt8](repeating: 0, count: 1 << 18)
    public private(set) var bytesIn: Int64 = 0
    public private(set) var bytesOut: Int64 = 0

    public init?(path: String, level: Int32 = 6) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard ha_deflate_init2(stream, level, 15 + 16) == Z_OK else {
            close(fd)
            return nil
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    public func write(_ bytes: [UInt8]) {
        bytesIn += Int64(bytes.count)
        bytes.withUnsafeBufferPointer { input in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.pointee.avail_in = uInt(input.count)
            drain(flush: Z_NO_FLUSH)
        }
    }

    public func write(_ text: String) { write(Array(text.utf8)) }

    /// Finishes the member and closes the file.
    public func finish() {
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        drain(flush: Z_FINISH)
        close(fd)
    }

    private func drain(flush: Int32) {
        while true {
            let (status, produced): (Int32, Int) = output.withUnsafeMutableBufferPointer { out in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = uInt(out.count)
                let status = deflate(stream, flush)
                return (status, out.count - Int(stream.pointee.avail_out))
            }
            if produced > 0 {
                output.withUnsafeBufferPointer { out in
                    var offset = 0
                    while offset < produced {
                        let n = systemWrite(fd, out.baseAddress! + offset, produced - offset)
                        precondition(n > 0, "cannot write the corpus")
                        offset += n
                    }
                }
                bytesOut += Int64(produced)
            }
            if flush == Z_FINISH { if status == Z_STREAM_END { return } else { continue } }
            if stream.pointee.avail_in == 0 && produced < output.count { return }
        }
    }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
