import Foundation
import HarnessAuditSamples

// Regenerates samples/ from the deterministic generator.
// Usage: swift run harness-audit-samplegen [DIRECTORY]   (default: samples)
let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "samples"
let manager = FileManager.default
for file in SampleFleet.files() {
    let url = URL(fileURLWithPath: directory).appendingPathComponent(file.relativePath)
    try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(file.bytes).write(to: url)
    print("wrote \(url.path) (\(file.lines.count) lines)")
}
