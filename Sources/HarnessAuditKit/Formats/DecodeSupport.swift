/// Helpers shared by the format decoders.
enum DecodeSupport {
    /// A string field, tolerating numbers and booleans written where a string belongs.
    /// Objects and arrays in a string field set `invalidField` and read as nil.
    static func text(_ value: JSONValue?, _ flags: inout EventFlags) -> String? {
        guard let value, !value.isNull else { return nil }
        switch value.kind {
        case .string:
            let text = value.string ?? ""
            return text.isEmpty ? nil : text
        case .number, .true, .false:
            return value.scalarText
        default:
            flags.insert(.invalidField)
            return nil
        }
    }

    /// An integer field (number or numeric string). Other types and out-of-range values
    /// set `invalidField`.
    static func integer(_ value: JSONValue?, _ flags: inout EventFlags) -> Int64? {
        guard let value, !value.isNull else { return nil }
        if let v = value.int64 { return v }
        flags.insert(.invalidField)
        return nil
    }

    /// A timestamp field: ISO 8601 text or a Unix time number (s, ms, µs or ns).
    static func timestamp(_ value: JSONValue?) -> Int64? {
        guard let value else { return nil }
        switch value.kind {
        case .string:
            guard let text = value.string else { return nil }
            if let ms = Timestamp.parseISO8601(text) { return ms }
            if let number = Double(text) { return Timestamp.fromEpochNumber(number) }
            return nil
        case .number:
            return value.double.flatMap(Timestamp.fromEpochNumber)
        default:
            return nil
        }
    }

    /// The shell command of a tool input: `command` as a string or an argv array, or `cmd`.
    static func shellCommand(_ input: JSONValue?) -> String? {
        guard let input, input.isObject else { return nil }
        if let command = input["command"] {
            if let text = command.string { return text }
            if command.isArray { return ShellQuoting.join(command.elements.compactMap(\.scalarText)) }
        }
        if let cmd = input["cmd"] {
            if let text = cmd.string { return text }
            if cmd.isArray { return ShellQuoting.join(cmd.elements.compactMap(\.scalarText)) }
        }
        return nil
    }

    /// `attributes` (a JSON object, or nil) with one more text member.
    static func addingAttribute(_ key: String, _ value: String, to attributes: String?) -> String {
        var out: [UInt8] = Array((attributes ?? "{}").utf8)
        while let last = out.last, last != UInt8(ascii: "}") { out.removeLast() }
        guard !out.isEmpty else { return DecodeSupport.attributes([(key, .text(value))]) ?? "{}" }
        out.removeLast()
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: "\"\(key)\":".utf8)
        JSONWriter.appendQuoted(value, to: &out)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// A compact JSON object from string pairs (nil values skipped), for the `attrs` column. Built as bytes:
    /// every event has one, and appending to a `String` piece by piece cost a third of the time.
    static func attributes(_ pairs: [(String, AttributeValue?)]) -> String? {
        guard pairs.contains(where: { $0.1 != nil }) else { return nil }
        // Keys are the decoders' own ASCII names; values are escaped.
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(256)
        for (key, value) in pairs {
            guard let value else { continue }
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: key.utf8)
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
            switch value {
            case .text(let text): JSONWriter.appendQuoted(text, to: &out)
            case .int(let number): out.append(contentsOf: String(number).utf8)
            case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
            case .json(let raw): out.append(contentsOf: raw.utf8)
            }
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    enum AttributeValue {
        case text(String)
        case int(Int64)
        case bool(Bool)
        /// Already-valid JSON text.
        case json(String)

        static func optional(_ text: String?) -> AttributeValue? { text.map { .text($0) } }
        static func optional(_ number: Int64?) -> AttributeValue? { number.map { .int($0) } }
        static func optional(_ flag: Bool?) -> AttributeValue? { flag.map { .bool($0) } }
        /// Text cut to `limit` characters (prompts, error messages).
        static func clipped(_ text: String?, _ limit: Int = 500) -> AttributeValue? {
            guard let text else { return nil }
            return .text(text.utf8.count > limit && text.count > limit ? String(text.prefix(limit)) + "…" : text)
        }
    }

    /// Sets the event's content key from the line bytes (without a trailing CR) and record index.
    /// `repeat`: the line is the n-th repeat of an identical line earlier in its source (`DecodingState.repeats`).
    static func contentKey(line: UnsafeRawBufferPointer, record: Int, repeat: Int = 0) -> UInt64 {
        ContentHash.hash(line, seed: UInt64(record) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(`repeat`) &* 0x5851_F42D_4C95_7F2D)
    }
}

/// Quoting for showing an argv array as one shell command line.
enum ShellQuoting {
    static func join(_ argv: [String]) -> String {
        argv.map(quote).joined(separator: " ")
    }

    static func quote(_ word: String) -> String {
        if word.isEmpty { return "''" }
        let safe = word.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ":", "=", "@", "%", "+", ",": return true
            default: return false
            }
        }
        if safe { return word }
        return "'" + word.replacingAll("'", with: "'\\''") + "'"
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        guard !needle.isEmpty else { return self }
        let haystack = Array(utf8)
        var out: [UInt8] = []
        out.reserveCapacity(haystack.count)
        var i = 0
        var changed = false
        while i < haystack.count {
            if haystack[i] == needle[0], i + needle.count <= haystack.count,
               haystack[i..<(i + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: replacement.utf8)
                i += needle.count
                changed = true
            } else {
                out.append(haystack[i])
                i += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : self
    }
}
