import CZstd

/// zstd compression of raw-line blocks. Level 1 compresses agent JSONL about 5× at
/// roughly 700 MB/s on this class of machine, several times faster than zlib at level 1
/// (measured while designing the store; see the README's Performance section).
///
/// The library is loaded at run time (`CZstd`); `requireLibrary()` says why when it cannot be.
enum Zstd {
    /// Throws when the zstd library cannot be loaded; every other member needs it loaded.
    static func requireLibrary() throws(HarnessAuditError) {
        if let failure = ha_zstd_load() {
            throw .missingLibrary(name: "zstd", reason: String(cString: failure))
        }
    }

    final class Compressor {
        private let context: OpaquePointer
        let level: Int32

        init(level: Int32 = 1) throws(HarnessAuditError) {
            try Zstd.requireLibrary()
            guard let created = ha_zstd_create_cctx() else {
                throw .missingLibrary(name: "zstd", reason: "cannot create a zstd compression context (out of memory)")
            }
            context = created
            self.level = level
        }

        deinit { ha_zstd_free_cctx(context) }

        func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
            let bound = ha_zstd_compress_bound(input.count)
            var output = [UInt8](repeating: 0, count: bound)
            let written = output.withUnsafeMutableBytes { dst in
                ha_zstd_compress_cctx(context, dst.baseAddress, bound, input.baseAddress, input.count, level)
            }
            precondition(ha_zstd_is_error(written) == 0, "zstd compression failed")
            output.removeSubrange(written...)
            return output
        }
    }

    enum DecompressionError: Error { case corrupt(String) }

    static func decompress(_ input: UnsafeRawBufferPointer, expectedSize: Int) throws -> [UInt8] {
        if let failure = ha_zstd_load() { throw DecompressionError.corrupt(String(cString: failure)) }
        var output = [UInt8](repeating: 0, count: max(expectedSize, 1))
        let written = output.withUnsafeMutableBytes { dst in
            ha_zstd_decompress(dst.baseAddress, expectedSize, input.baseAddress, input.count)
        }
        if ha_zstd_is_error(written) != 0 {
            throw DecompressionError.corrupt(String(cString: ha_zstd_error_name(written)))
        }
        output.removeSubrange(written...)
        return output
    }
}
