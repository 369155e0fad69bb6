/// Parses the body of a Codex `apply_patch` call:
///
///     *** Begin Patch
///     *** Add File: path
///     *** Delete File: path
///     *** Update File: path
///     *** Move to: path
///     @@ …
///     *** End Patch
public enum PatchParser {
    public enum Operation: String, Sendable {
        case add, delete, update, move
    }

    public struct FileChange: Sendable, Equatable {
        public var operation: Operation
        public var path: String
        /// For a move: where the file went.
        public var destination: String?
        /// The lines the patch adds and removes (without their `+`/`-`), one per line.
        public var added = ""
        public var removed = ""
        /// The changed parts as they read afterwards: context and added lines, in order.
        public var after = ""

        public init(operation: Operation, path: String, destination: String? = nil) {
            self.operation = operation
            self.path = path
            self.destination = destination
        }

        /// Takes in one line of a change's body (or of a unified diff: its `---`/`+++` headers and `@@` lines say nothing).
        mutating func read(bodyLine line: Substring) {
            if line.hasPrefix("+") && !line.hasPrefix("+++") {
                added += line.dropFirst() + "\n"
                after += line.dropFirst() + "\n"
            }
            if line.hasPrefix(" ") { after += line.dropFirst() + "\n" }
            if line.hasPrefix("-") && !line.hasPrefix("---") { removed += line.dropFirst() + "\n" }
        }

        /// Takes in a unified diff's lines (Codex's `patch_apply_end.changes[path].unified_diff`).
        mutating func read(unifiedDiff text: String) {
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                read(bodyLine: line.hasSuffix("\r") ? line.dropLast() : line)
            }
        }
    }

    /// Whether the text looks like an apply_patch body.
    public static func isPatch(_ text: String) -> Bool {
        text.containsASCII("*** Begin Patch") || text.containsASCII("*** Update File:")
            || text.containsASCII("*** Add File:") || text.containsASCII("*** Delete File:")
    }

    public static func parse(_ text: String) -> [FileChange] {
        var changes: [FileChange] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if let last = changes.indices.last, !line.hasPrefix("*** ") {
                changes[last].read(bodyLine: line)
                continue
            }
            guard line.hasPrefix("*** ") else { continue }
            if let path = value(line, "*** Add File:") {
                changes.append(FileChange(operation: .add, path: path))
            } else if let path = value(line, "*** Delete File:") {
                changes.append(FileChange(operation: .delete, path: path))
            } else if let path = value(line, "*** Update File:") {
                changes.append(FileChange(operation: .update, path: path))
            } else if let path = value(line, "*** Move to:"), let last = changes.indices.last,
                      changes[last].operation == .update {
                changes[last].operation = .move
                changes[last].destination = path
            }
        }
        return changes
    }

    private static func value(_ line: Substring, _ prefix: String) -> String? {
        guard line.hasPrefix(prefix) else { return nil }
        let path = String(line.dropFirst(prefix.count)).trimmingSpaces
        return path.isEmpty ? nil : path
    }
}
