// libFuzzer target: one raw JSONL line through the public parsing path: JSONTape.parse, a full walk
// of the JSONValue tree, FormatDetector.detect, and the JSON-input action classifier.
// LineDecoder and the per-format decoders are internal and not reached (see Tests/Fuzz/README.md).
// Build and run: Tests/Fuzz/run.sh.
import HarnessAuditKit
import FuzzDriver

/// Reused across inputs, as LineDecoder reuses its tape across lines.
nonisolated(unsafe) let tape = JSONTape()
nonisolated(unsafe) let classifier = ActionClassifier()
let context = ClassificationContext(cwd: "/home/dev/project", home: "/home/dev", branch: "main")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLineDecoder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // LineDecoder drops one trailing carriage return before parsing.
    var count = size
    if let data, count > 0, data[count - 1] == 0x0D { count -= 1 }
    let bytes = UnsafeRawBufferPointer(start: data, count: count)

    var reusedError: JSONTape.ParseError?
    do throws(JSONTape.ParseError) { try tape.parse(bytes) } catch { reusedError = error }

    // Oracle: a fresh tape must agree with the reused one, node for node.
    let fresh = JSONTape()
    var freshError: JSONTape.ParseError?
    do throws(JSONTape.ParseError) { try fresh.parse(bytes) } catch { freshError = error }
    precondition(reusedError == freshError, "reused and fresh tapes disagree on the error")
    guard reusedError == nil else {
        precondition(reusedError!.offset >= 0 && reusedError!.offset <= count, "error offset outside the input")
        return 0
    }
    precondition(tape.nodeCount == fresh.nodeCount && tape.nodeCount > 0, "node counts differ")
    for k in 0..<tape.nodeCount {
        let a = tape.nodes[k], b = fresh.nodes[k]
        precondition(a.kind == b.kind && a.flags == b.flags && a.start == b.start && a.end == b.end
                     && a.next == b.next && a.count == b.count, "node \(k) differs between tapes")
        precondition(a.start < a.end && Int(a.end) <= count, "node \(k) outside the line")
        precondition(Int(a.next) > k && Int(a.next) <= tape.nodeCount, "node \(k) has a bad next index")
    }
    precondition(tape.rootIndexed == fresh.rootIndexed && tape.hadDuplicateKeys == fresh.hadDuplicateKeys)

    let root = JSONValue(bytes: bytes, tape: tape)
    walk(root, depth: 0)
    if root.isObject {
        // The root index (when built) must agree with a scan of a fresh tape's root.
        let plain = JSONValue(bytes: bytes, tape: fresh)
        for key in root.keys {
            precondition(root.member(key)?.index == plain.member(key)?.index, "root lookup of \(key) differs")
        }
        precondition(root["type"]?.index == root.member("type")?.index)
        precondition(root["schema"]?.index == root.member("schema")?.index)
    }
    _ = FormatDetector.detect(root)
    if let tool = root["tool_name"]?.string ?? root["name"]?.string {
        _ = classifier.classify(tool: tool, input: root["tool_input"] ?? root["input"] ?? root["arguments"],
                                context: context)
    }
    return 0
}

/// Touches every accessor of every value and checks counts and member lookup (last repeat wins).
func walk(_ value: JSONValue, depth: Int) {
    precondition(depth <= JSONTape.defaultMaximumDepth, "deeper than the tape's limit")
    _ = value.rawText
    _ = value.scalarText
    _ = value.nonEmptyText
    _ = value.int64
    _ = value.double
    _ = value.bool
    if value.isString { _ = value.stringBytes }
    if value.isObject {
        let members = value.members
        precondition(members.count == value.count, "object member count differs from node count")
        // Keyed by bytes: Swift's String equality is canonical equivalence, lookups compare bytes.
        var last: [[UInt8]: (key: String, index: Int)] = [:]
        for member in members { last[Array(member.key.utf8)] = (member.key, member.value.index) }
        for (_, entry) in last {
            precondition(value.member(entry.key)?.index == entry.index, "member(\(entry.key)) is not the last repeat")
        }
        for member in members { walk(member.value, depth: depth + 1) }
    } else if value.isArray {
        let elements = value.elements
        precondition(elements.count == value.count, "array element count differs from node count")
        for element in elements { walk(element, depth: depth + 1) }
    }
}

// The entry point SwiftPM links as `main` (see FuzzDriver).
@_cdecl("FuzzLineDecoder_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzLineDecoder)
}
