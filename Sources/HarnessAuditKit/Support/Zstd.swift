import CZstd

/// zstd compression of raw-line blocks. Level 1 compresses agent JSONL about 5× at
/// roughly 700 MB/s on this class of machine, several times faster than zlib at level 1
/// (measured while designing the store; see the README's Performance section).
enum Zstd {
    final class Compressor {
        private let context: OpaquePointer
        let level: Int32

        init(level: Int32 = 1) {
            context = ZSTD_createCCtx()
            self.level = level
        }

        deinit { ZSTD_freeCCtx(context) }

        func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
            let bound = ZSTD_compressBound(input.count)
            var output = [UInt8](repeating: 0, count: bound)
            let written = output.withUnsafeMutableBytes { dst in
                ZSTD_compressCCtx(context, dst.baseAddress, bound, input.baseAddress, input.count, level)
            }
            precondition(ZSTD_isError(written) == 0, "zstd compression failed")
            output.removeSubrange(written...)
            return output
        }
    }

    enum DecompressionError: Error { case corrupt(String) }

    static func decompress(_ input: UnsafeRawBufferPointer, expectedSize: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: max(expectedSize, 1))
        let written = output.withUnsafeMutableBytes { dst in
            ZSTD_decompress(dst.baseAddress, expectedSize, input.baseAddress, input.count)
        }
        if ZSTD_isError(written) != 0 {
            throw DecompressionError.corrupt(String(cString: ZSTD_getErrorName(written)))
        }
        output.removeSubrange(written...)
        return output
    }
}
