import Yams

/// A thin reader over a composed YAML document that reports problems as
/// `file:line:column: message`.
struct YAMLDocument {
    let file: String
    let root: Node?

    init(text: String, file: String) throws(HarnessAuditError) {
        self.file = file
        do {
            // A byte-order mark (Windows editors save one) opens no document: YAML's own rule, which the parser applies
            // only to some first lines.
            root = try Yams.compose(yaml: text.first == "\u{FEFF}" ? String(text.dropFirst()) : text)
        } catch let error as YamlError {
            throw YAMLDocument.convert(error, file: file)
        } catch {
            throw .invalidConfiguration(file: file, line: 1, column: nil, message: "\(error)")
        }
    }

    static func convert(_ error: YamlError, file: String) -> HarnessAuditError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return .invalidConfiguration(file: file, line: mark.line, column: mark.column, message: "YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return .invalidConfiguration(file: file, line: context.mark.line, column: context.mark.column,
                                         message: "\(names) \(duplicates.count == 1 ? "is" : "are") given twice (first here)")
        default:
            return .invalidConfiguration(file: file, line: 1, column: nil, message: "YAML: \(error)")
        }
    }

    func fail(_ node: Node?, _ message: String) -> HarnessAuditError {
        .invalidConfiguration(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column, message: message)
    }

    /// The mapping at the root (an empty document is an empty mapping).
    func rootMapping() throws(HarnessAuditError) -> [(key: String, keyNode: Node, value: Node)] {
        guard let root else { return [] }
        return try mapping(root, what: "the document")
    }

    func mapping(_ node: Node, what: String) throws(HarnessAuditError) -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let mapping) = node else { throw fail(node, "\(what) must be a mapping") }
        var seen = Set<String>()
        var out: [(String, Node, Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw fail(key, "keys must be strings") }
            guard seen.insert(name).inserted else { throw fail(key, "`\(name)` is given twice") }
            out.append((name, key, value))
        }
        return out
    }

    func string(_ node: Node, what: String) throws(HarnessAuditError) -> String {
        guard case .scalar(let scalar) = node else { throw fail(node, "\(what) must be a string") }
        return scalar.string
    }

    func strings(_ node: Node, what: String) throws(HarnessAuditError) -> [String] {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.tag.description.hasSuffix("null") { return [] }
        guard case .sequence(let sequence) = node else { throw fail(node, "\(what) must be a list") }
        var out: [String] = []
        for item in sequence {
            guard case .scalar(let scalar) = item else { throw fail(item, "every entry of \(what) must be a string") }
            out.append(scalar.string)
        }
        return out
    }

    func sequence(_ node: Node, what: String) throws(HarnessAuditError) -> [Node] {
        guard case .sequence(let sequence) = node else { throw fail(node, "\(what) must be a list") }
        return Array(sequence)
    }

    func unknownKey(_ key: String, _ node: Node, known: [String]) -> HarnessAuditError {
        fail(node, "unknown key `\(key)` (known: \(known.joined(separator: ", ")))")
    }
}
