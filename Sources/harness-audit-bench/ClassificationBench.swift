import Foundation
import HarnessAuditKit

/// The cost of classification alone (issue: classification cost per event): every tool call of the
/// corpus is classified from its tool name and input, as ingest does, and only the classifier calls
/// are timed.
enum ClassificationBench {
    static func run(path: String) throws -> String {
        guard let pipe = popen("gzip -dc '\(path)'", "r") else { return "cannot read \(path)" }
        defer { pclose(pipe) }
        let classifier = ActionClassifier()
        let tape = JSONTape()
        var events = 0
        var calls = 0
        var nanoseconds: UInt64 = 0
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        while true {
            let length = getline(&line, &capacity, pipe)
            if length <= 0 { break }
            events += 1
            let buffer = UnsafeRawBufferPointer(start: line, count: length - 1)
            do throws(JSONTape.ParseError) { try tape.parse(buffer) } catch { continue }
            let root = JSONValue(bytes: buffer, tape: tape)
            let tool: String?
            let input: JSONValue?
            if root["schema"] != nil {
                guard root["kind"]?.string == "tool_call" else { continue }
                tool = root["tool"]?.string
                input = root["input"]
            } else {
                guard root["hook_event_name"]?.string == "PreToolUse" else { continue }
                tool = root["tool_name"]?.string
                input = root["tool_input"]
            }
            guard let tool else { continue }
            let cwd = root["cwd"]?.string
            let context = ClassificationContext(cwd: cwd, home: PathNormalizer.inferHome(from: cwd))
            let start = DispatchTime.now().uptimeNanoseconds
            let result = classifier.classify(tool: tool, input: input, context: context)
            nanoseconds += DispatchTime.now().uptimeNanoseconds - start
            if result.classes.rawValue == .max { print("") }
            calls += 1
        }
        free(line)
        let perCall = Double(nanoseconds) / Double(max(calls, 1)) / 1000
        let perEvent = Double(nanoseconds) / Double(max(events, 1)) / 1000
        return String(format: "%.2f µs per tool call uncached (%@ calls), %.2f µs per event over %@ events; the ingest "
                      + "pipeline caches repeated inputs", perCall, Format.grouped(calls), perEvent, Format.grouped(events))
    }
}
