import Foundation
@testable import HarnessAuditKit

/// A parsed JSON value (numbers keep whether they were written as integers).
indirect enum JSONTree: Equatable {
    case object([String: JSONTree])
    case array([JSONTree])
    case string(String)
    case number(Double, integer: Bool)
    case bool(Bool)
    case null

    static func parse(_ text: String) throws -> JSONTree {
        let bytes = Array(text.utf8)
        let tape = JSONTape(maximumDepth: 256)
        return try bytes.withUnsafeBytes { buffer in
            try tape.parse(buffer)
            return convert(JSONValue(bytes: buffer, tape: tape))
        }
    }

    static func convert(_ value: JSONValue) -> JSONTree {
        switch value.kind {
        case .object: return .object(Dictionary(value.members.map { ($0.key, convert($0.value)) }, uniquingKeysWith: { a, _ in a }))
        case .array: return .array(value.elements.map(convert))
        case .string: return .string(value.string ?? "")
        case .number:
            let text = value.rawText
            return .number(Double(text) ?? .nan, integer: !text.contains(".") && !text.contains("e") && !text.contains("E"))
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        }
    }

    subscript(key: String) -> JSONTree? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    subscript(index: Int) -> JSONTree? {
        if case .array(let items) = self, index < items.count { return items[index] }
        return nil
    }

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var array: [JSONTree]? { if case .array(let a) = self { return a } else { return nil } }
    var int: Int? { if case .number(let n, _) = self { return Int(n) } else { return nil } }
}

/// A JSON Schema (draft-04) validator covering the keywords the SARIF 2.1.0 schema uses:
/// `$ref` (local `#/definitions/…`), `type`, `properties`, `required`, `additionalProperties`,
/// `items`, `minItems`, `uniqueItems`, `enum`, `minimum`, `pattern`, `anyOf`, `oneOf`, `allOf`
/// and the `uri`, `uri-reference` and `date-time` formats. Unknown keywords fail loudly, so a
/// schema using more than this is never half-checked.
struct JSONSchemaValidator {
    let root: JSONTree

    static let annotationKeywords: Set<String> = ["description", "default", "title", "$schema", "id", "$id", "deprecated"]
    static let checkedKeywords: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "items", "minItems", "uniqueItems", "enum",
        "minimum", "pattern", "anyOf", "oneOf", "allOf", "format", "definitions",
    ]

    init(schemaPath: String) throws {
        root = try JSONTree.parse(String(contentsOfFile: schemaPath, encoding: .utf8))
    }

    /// Problems found, as `path: message`; empty when the document is valid.
    func validate(_ document: JSONTree) -> [String] {
        var problems: [String] = []
        check(document, against: root, path: "$", problems: &problems)
        return problems
    }

    func resolve(_ reference: String) -> JSONTree? {
        guard reference.hasPrefix("#/") else { return nil }
        var node = root
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let next = node[String(part)] else { return nil }
            node = next
        }
        return node
    }

    func check(_ value: JSONTree, against schema: JSONTree, path: String, problems: inout [String]) {
        guard case .object(let keywords) = schema else {
            problems.append("\(path): a schema must be an object")
            return
        }
        for key in keywords.keys where !Self.annotationKeywords.contains(key) && !Self.checkedKeywords.contains(key) {
            problems.append("\(path): the validator does not know the schema keyword `\(key)`")
        }
        if let reference = schema["$ref"]?.string {
            guard let target = resolve(reference) else {
                problems.append("\(path): unresolvable $ref \(reference)")
                return
            }
            check(value, against: target, path: path, problems: &problems)
        }
        if let type = schema["type"] {
            let types = type.array?.compactMap(\.string) ?? [type.string ?? ""]
            if !types.contains(where: { Self.matches(value, type: $0) }) {
                problems.append("\(path): expected \(types.joined(separator: " or ")), got \(Self.describe(value))")
                return
            }
        }
        if let options = schema["enum"]?.array, !options.contains(value) {
            problems.append("\(path): \(Self.describe(value)) is not one of the allowed values")
        }
        if case .number(let minimum, _)? = schema["minimum"], case .number(let number, _) = value, number < minimum {
            problems.append("\(path): \(number) is below the minimum \(minimum)")
        }
        if case .string(let string) = value {
            if let pattern = schema["pattern"]?.string {
                let regex = try! NSRegularExpression(pattern: pattern)
                if regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) == nil {
                    problems.append("\(path): \"\(string)\" does not match /\(pattern)/")
                }
            }
            if let format = schema["format"]?.string, !Self.conforms(string, format: format) {
                problems.append("\(path): \"\(string)\" is not a valid \(format)")
            }
        }
        if case .object(let object) = value {
            for case .string(let name) in schema["required"]?.array ?? [] where object[name] == nil {
                problems.append("\(path): missing required property `\(name)`")
            }
            for (name, member) in object {
                if let propertySchema = schema["properties"]?[name] {
                    check(member, against: propertySchema, path: path + "." + name, problems: &problems)
                } else if let additional = schema["additionalProperties"] {
                    if case .bool(false) = additional {
                        problems.append("\(path): property `\(name)` is not allowed")
                    } else if case .object = additional {
                        check(member, against: additional, path: path + "." + name, problems: &problems)
                    }
                }
            }
        }
        if case .array(let array) = value {
            if let minimum = schema["minItems"]?.int, array.count < minimum {
                problems.append("\(path): \(array.count) items, fewer than \(minimum)")
            }
            if case .bool(true)? = schema["uniqueItems"] {
                for i in 0..<array.count {
                    for j in (i + 1)..<array.count where array[i] == array[j] {
                        problems.append("\(path): items \(i) and \(j) are equal")
                    }
                }
            }
            if let items = schema["items"], case .object = items {
                for (index, item) in array.enumerated() { check(item, against: items, path: "\(path)[\(index)]", problems: &problems) }
            }
        }
        for keyword in ["anyOf", "oneOf"] {
            guard let alternatives = schema[keyword]?.array else { continue }
            let passing = alternatives.filter { alternative in
                var scratch: [String] = []
                check(value, against: alternative, path: path, problems: &scratch)
                return scratch.isEmpty
            }.count
            if passing == 0 || (keyword == "oneOf" && passing > 1) {
                problems.append("\(path): \(passing) of the \(keyword) alternatives match")
            }
        }
        for alternative in schema["allOf"]?.array ?? [] {
            check(value, against: alternative, path: path, problems: &problems)
        }
    }

    static func matches(_ value: JSONTree, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number): return true
        case ("integer", .number(let n, _)): return n == n.rounded()
        default: return false
        }
    }

    static func conforms(_ text: String, format: String) -> Bool {
        switch format {
        case "uri":
            guard let components = URLComponents(string: text) else { return false }
            return components.scheme != nil
        case "uri-reference":
            return URLComponents(string: text) != nil && !text.contains(" ")
        case "date-time":
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.date(from: text) != nil || ISO8601DateFormatter().date(from: text) != nil
        default:
            return true
        }
    }

    static func describe(_ value: JSONTree) -> String {
        switch value {
        case .string(let s): return "string \"\(s)\""
        case .array: return "array"
        case .object: return "object"
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .number(let n, _): return "\(n)"
        }
    }
}
