// libFuzzer target: the input as a raw (possibly gzip, multi-member, truncated or corrupt) stream
// through ByteSource → GzipDecoder → LineSplitter, draining every line. These types are internal,
// so this target uses `@testable import` and must be built in the debug configuration (which
// enables testability). Build and run: Tests/Fuzz/run.sh.
#if canImport(Glibc)
import Glibc
#endif
@testable import HarnessAuditKit
import FuzzDriver

/// ByteSource reads a file descriptor: each input is written to this per-process scratch file.
let scratchPath: String = {
    let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    return "\(dir)/harness-audit-fuzzgzip-\(getpid())"
}()
/// A small line limit so oversize handling is reached by small inputs (the minimum is 1024).
let maximumLineBytes = 1024
let keptPrefixBytes = 100
/// Gzip input can expand a thousandfold (64 KiB of input, 64 MiB of newlines): draining stops after this
/// much decompressed output, so that one input stays fast (still more than one 256 KiB read chunk).
let maximumGzipDrainBytes = 384 << 10
let maximumGzipDrainLines = 10_000

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    writeScratch(input)
    defer { unlink(scratchPath) }

    let source: ByteSource
    do { source = try ByteSource(path: scratchPath, displayPath: "fuzz.jsonl.gz") } catch {
        fatalError("cannot open the scratch file: \(error)")
    }
    let decoder = GzipDecoder(source: source)
    let splitter = LineSplitter(maximumLineBytes: maximumLineBytes, keptPrefixBytes: keptPrefixBytes)
    // Plain input: what the splitter delivered, rebuilt as a stream (oversize lines: kept prefix, total
    // length, hash), compared with the input at the end.
    var rebuilt: [UInt8] = []
    var oversize: [(offset: Int, prefix: Int, total: Int64, sha256: [UInt8])] = []
    var expectedNumber: Int64 = 1
    var sawUnterminated = false
    var drainedBytes = 0
    do {
        try splitter.run(decoder) { (line: InputLine) throws(HarnessAuditError) -> Bool in
            precondition(line.number == expectedNumber, "line numbers are not consecutive")
            precondition(!sawUnterminated, "a line follows an unterminated line")
            expectedNumber += 1
            if !line.terminated { sawUnterminated = true }
            precondition(!line.bytes.contains(0x0A), "a line contains a newline")
            if let info = line.oversize {
                precondition(info.totalLength > Int64(maximumLineBytes), "oversize line within the limit")
                precondition(line.bytes.count == keptPrefixBytes, "oversize line keeps \(line.bytes.count) bytes")
                precondition(info.sha256.count == 32)
                if !decoder.isGzip { oversize.append((rebuilt.count, line.bytes.count, info.totalLength, info.sha256)) }
            } else {
                precondition(line.bytes.count <= maximumLineBytes, "line over the limit not marked oversize")
            }
            if !decoder.isGzip {
                rebuilt.append(contentsOf: line.bytes)
                if line.terminated { rebuilt.append(0x0A) }
            }
            drainedBytes += line.bytes.count + 1
            // false stops the splitter (what SourceReader never does; a bounded drain for compressed input).
            return !(decoder.isGzip && (drainedBytes > maximumGzipDrainBytes || line.number >= maximumGzipDrainLines))
        }
    } catch {
        fatalError("reading a regular file failed: \(error)")
    }
    // The source hashes exactly the bytes it read (all of them for plain input, which is read to its end).
    let read = Int(source.bytesRead)
    precondition(read <= size && (decoder.isGzip || read == size), "read \(read) of \(size) bytes")
    precondition(source.digest.finalize() == SHA256Digest.digest(UnsafeRawBufferPointer(rebasing: input[0..<read])),
                 "source hash differs")

    if decoder.isGzip {
        precondition(decoder.members >= 1)
    } else {
        // Oracle for plain input: the lines are exactly the input split at newlines.
        precondition(decoder.problem == nil, "plain input reported a stream problem")
        precondition(decoder.members == 0)
        var at = 0          // offset in the input
        var from = 0        // offset in `rebuilt`
        for entry in oversize {
            let plainCount = entry.offset - from
            precondition(rebuilt[from..<entry.offset].elementsEqual(input[at..<(at + plainCount)]), "line bytes differ")
            at += plainCount
            let total = Int(entry.total)
            precondition(at + total <= size, "oversize length past the input")
            precondition(rebuilt[entry.offset..<(entry.offset + entry.prefix)].elementsEqual(input[at..<(at + entry.prefix)]),
                         "oversize prefix differs")
            precondition(SHA256Digest.digest(UnsafeRawBufferPointer(rebasing: input[at..<(at + total)])) == entry.sha256,
                         "oversize hash differs")
            at += total
            from = entry.offset + entry.prefix
        }
        precondition(rebuilt[from...].elementsEqual(input[at...]), "line bytes differ from the input")
    }
    return 0
}

private func writeScratch(_ bytes: UnsafeRawBufferPointer) {
    let fd = open(scratchPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    precondition(fd >= 0, "cannot create \(scratchPath)")
    var written = 0
    while written < bytes.count {
        let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
        precondition(n > 0, "cannot write \(scratchPath)")
        written += n
    }
    close(fd)
}

// The entry point SwiftPM links as `main` (see FuzzDriver).
@_cdecl("FuzzGzip_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzGzip)
}
