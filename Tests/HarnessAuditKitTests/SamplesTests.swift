import Foundation
import Testing
import HarnessAuditSamples

@Suite("Bundled samples")
struct SamplesTests {
    @Test("samples/ holds exactly what the generator produces (regenerate with harness-audit-dev samples)")
    func samplesAreCurrent() throws {
        let root = TestSupport.repositoryRoot + "/samples/"
        for file in SampleFleet.files() {
            let path = root + file.relativePath
            let stored = try #require(FileManager.default.contents(atPath: path), "missing \(file.relativePath)")
            var expected: [UInt8] = []
            for line in file.lines { expected += line + [0x0A] }
            if let cut = file.truncateCompressedTo {
                // A deliberately truncated file: compare its size; its decompressed prefix must match.
                #expect(stored.count == cut, "\(file.relativePath)")
                continue
            }
            let content = file.gzip ? GzipWriter.decompress(Array(stored)) : Array(stored)
            #expect(content == expected, "\(file.relativePath) differs from the generator's output")
        }
    }
}
