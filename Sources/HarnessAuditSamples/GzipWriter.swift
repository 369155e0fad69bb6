import CZlib

/// Writes gzip members with a fixed header (no name, mtime 0), so generated samples
/// are byte-for-byte reproducible with the same zlib.
public enum GzipWriter {
    public static func compress(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        precondition(ha_deflate_init2(&stream, level, 15 + 16) == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))) + 64)
        var input = data
        let produced: Int = input.withUnsafeMutableBytes { src in
            output.withUnsafeMutableBytes { dst in
                stream.next_in = src.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(dst.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate failed: \(status)")
                return dst.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    public static func decompress(_ data: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard ha_inflate_init2(&stream, 15 + 32) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out = [UInt8]()
        var input = data
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let ok: Bool = input.withUnsafeMutableBytes { src in
            stream.next_in = src.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(src.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBytes { dst in
                    stream.next_out = dst.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(dst.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                out.append(contentsOf: chunk.prefix(chunk.count - Int(stream.avail_out)))
                if status == Z_STREAM_END {
                    if stream.avail_in == 0 { return true }
                    inflateReset(&stream)
                    continue
                }
                if status != Z_OK { return false }
            }
        }
        return ok ? out : nil
    }
}
