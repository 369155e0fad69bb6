/// A read-only view of one value on a parsed `JSONTape`. It is valid only while the
/// bytes it was parsed from are alive and the tape has not parsed another line; decoders
/// use it inside the scope of one line and copy out what they keep.
public struct JSONValue {
    public let bytes: UnsafeRawBufferPointer
    /// The tape's nodes (not retained: a value lives only while its tape holds the same line).
    let base: UnsafePointer<JSONTape.Node>
    public let index: Int
    /// The tape's root key index (for the root value only), when the tape built one.
    let rootSlots: UnsafePointer<Int32>?

    public init(bytes: UnsafeRawBufferPointer, tape: JSONTape, index: Int = 0) {
        self.bytes = bytes
        self.base = UnsafePointer(tape.nodeBase)
        self.index = index
        self.rootSlots = index == 0 && tape.rootIndexed ? UnsafePointer(tape.rootSlots) : nil
    }

    init(bytes: UnsafeRawBufferPointer, base: UnsafePointer<JSONTape.Node>, index: Int) {
        self.bytes = bytes
        self.base = base
        self.index = index
        self.rootSlots = nil
    }

    @inline(__always) var node: JSONTape.Node { base[index] }

    public var kind: JSONTape.Kind { node.kind }
    public var isObject: Bool { node.kind == .object }
    public var isArray: Bool { node.kind == .array }
    public var isString: Bool { node.kind == .string }
    public var isNull: Bool { node.kind == .null }
    public var count: Int { Int(node.count) }
    /// The node's flags (`JSONTape.hasEscapes`, …).
    public var flags: UInt8 { node.flags }

    /// A string's bytes between its quotes, undecoded (escapes as written).
    public var stringBytes: UnsafeRawBufferPointer {
        let n = node
        return UnsafeRawBufferPointer(rebasing: bytes[Int(n.start) + 1..<Int(n.end) - 1])
    }

    /// The value's JSON text, exactly as in the line.
    public var rawText: String {
        let n = node
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[Int(n.start)..<Int(n.end)]), as: UTF8.self)
    }

    /// The value's JSON bytes.
    public var rawBytes: UnsafeRawBufferPointer {
        let n = node
        return UnsafeRawBufferPointer(rebasing: bytes[Int(n.start)..<Int(n.end)])
    }

    // MARK: Objects

    /// The member named `key`. When a key repeats, the last one wins (as in JavaScript and Python).
    public subscript(key: StaticString) -> JSONValue? {
        let n = node
        guard n.kind == .object, n.count > 0 else { return nil }
        let keyBytes = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        return member(matching: keyBytes)
    }

    /// The member named `key` (dynamic key).
    public func member(_ key: String) -> JSONValue? {
        guard node.kind == .object else { return nil }
        var copy = key
        return copy.withUTF8 { member(matching: UnsafeRawBufferPointer($0)) }
    }

    private func member(matching key: UnsafeRawBufferPointer) -> JSONValue? {
        let nodes = base
        var i = index + 1
        let end = Int(nodes[index].next)
        // Without repeated (or escaped) keys the first match is the only one.
        let scanAll = nodes[index].flags & JSONTape.mayRepeatKeys != 0
        var found: Int? = nil
        let keyCount = key.count
        let keyBase = key.baseAddress
        let signature = keyCount > 0 ? JSONTape.keySignature(keyBase!, keyCount) : JSONTape.keySignature(UnsafeRawPointer(bitPattern: 1)!, 0)
        if let slots = rootSlots {
            let mask = JSONTape.rootSlotCount - 1
            var slot = Int(signature) & mask
            while slots[slot] != 0 {
                let k = Int(slots[slot]) - 1
                let keyNode = nodes[k]
                if keyNode.count == signature {
                    let start = Int(keyNode.start) + 1
                    let length = Int(keyNode.end) - start - 1
                    if length == keyCount && (length == 0 || memcmp(bytes.baseAddress! + start, keyBase!, length) == 0) {
                        return JSONValue(bytes: bytes, base: base, index: k + 1)
                    }
                }
                slot = (slot + 1) & mask
            }
            return nil
        }
        while i < end {
            let keyNode = nodes[i]
            let valueIndex = i + 1
            if keyNode.flags & JSONTape.hasEscapes != 0 {
                let start = Int(keyNode.start) + 1
                let length = Int(keyNode.end) - start - 1
                if JSONValue.decodeString(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])).utf8.elementsEqual(key) {
                    found = valueIndex
                }
            } else if keyNode.count == signature {
                let start = Int(keyNode.start) + 1
                let length = Int(keyNode.end) - start - 1
                if length == keyCount && (length == 0 || memcmp(bytes.baseAddress! + start, keyBase!, length) == 0) {
                    found = valueIndex
                    if !scanAll { break }
                }
            }
            i = Int(nodes[valueIndex].next)
        }
        return found.map { JSONValue(bytes: bytes, base: base, index: $0) }
    }

    /// Members in order: (decoded key, value).
    public var members: [(key: String, value: JSONValue)] {
        guard node.kind == .object else { return [] }
        let nodes = base
        var out: [(String, JSONValue)] = []
        out.reserveCapacity(Int(nodes[index].count))
        var i = index + 1
        let end = Int(nodes[index].next)
        while i < end {
            let key = JSONValue(bytes: bytes, base: base, index: i).string ?? ""
            out.append((key, JSONValue(bytes: bytes, base: base, index: i + 1)))
            i = Int(nodes[i + 1].next)
        }
        return out
    }

    /// Decoded member names in order.
    public var keys: [String] { members.map(\.key) }

    // MARK: Arrays

    public var elements: [JSONValue] {
        guard node.kind == .array else { return [] }
        let nodes = base
        var out: [JSONValue] = []
        out.reserveCapacity(Int(nodes[index].count))
        var i = index + 1
        let end = Int(nodes[index].next)
        while i < end {
            out.append(JSONValue(bytes: bytes, base: base, index: i))
            i = Int(nodes[i].next)
        }
        return out
    }

    // MARK: Scalars

    /// The decoded string, or nil when the value is not a string.
    public var string: String? {
        let n = node
        guard n.kind == .string else { return nil }
        let inner = UnsafeRawBufferPointer(rebasing: bytes[(Int(n.start) + 1)..<(Int(n.end) - 1)])
        if n.flags & JSONTape.hasEscapes == 0 {
            return String(decoding: inner, as: UTF8.self)
        }
        return JSONValue.decodeString(inner)
    }

    /// A string, or the text of a number or boolean. Tolerates producers that write
    /// scalars with the "wrong" JSON type.
    public var scalarText: String? {
        switch node.kind {
        case .string: return string
        case .number: return rawText
        case .true: return "true"
        case .false: return "false"
        default: return nil
        }
    }

    /// A non-empty string (or scalar text); nil for empty strings.
    public var nonEmptyText: String? {
        guard let text = scalarText, !text.isEmpty else { return nil }
        return text
    }

    /// Whether the value is the string `literal` (compared without decoding when possible).
    public func isString(_ literal: StaticString) -> Bool {
        let n = node
        guard n.kind == .string else { return false }
        if n.flags & JSONTape.hasEscapes != 0 {
            return string == String(describing: literal)
        }
        let length = Int(n.end) - Int(n.start) - 2
        guard length == literal.utf8CodeUnitCount else { return false }
        if length == 0 { return true }
        return memcmp(bytes.baseAddress! + Int(n.start) + 1, literal.utf8Start, length) == 0
    }

    /// A 64-bit integer from an integral number, a float with no fraction, or a decimal string.
    /// Nil when out of range or not a number.
    public var int64: Int64? {
        switch node.kind {
        case .number:
            let n = node
            if n.flags & JSONTape.isInteger != 0 {
                return JSONValue.parseInteger(UnsafeRawBufferPointer(rebasing: bytes[Int(n.start)..<Int(n.end)]))
            }
            guard let d = double, d.rounded() == d, abs(d) < 9.2e18 else { return nil }
            return Int64(d)
        case .string:
            guard let text = string?.trimmingSpaces, !text.isEmpty else { return nil }
            if let v = Int64(text) { return v }
            if let d = Double(text), d.isFinite, d.rounded() == d, abs(d) < 9.2e18 { return Int64(d) }
            return nil
        default:
            return nil
        }
    }

    public var double: Double? {
        switch node.kind {
        case .number:
            guard let d = Double(rawText), d.isFinite else { return nil }
            return d
        case .string:
            guard let text = string?.trimmingSpaces, let d = Double(text), d.isFinite else { return nil }
            return d
        default:
            return nil
        }
    }

    /// true/false, also from the strings "true"/"false" (OTel and some emitters stringify).
    public var bool: Bool? {
        switch node.kind {
        case .true: return true
        case .false: return false
        case .string:
            if isString("true") || isString("True") { return true }
            if isString("false") || isString("False") { return false }
            return nil
        default: return nil
        }
    }

    // MARK: Decoding helpers

    static func parseInteger(_ text: UnsafeRawBufferPointer) -> Int64? {
        var value: Int64 = 0
        var negative = false
        var i = 0
        if text.count > 0 && text[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        guard i < text.count else { return nil }
        while i < text.count {
            let digit = Int64(text[i] &- 48)
            guard digit >= 0 && digit <= 9 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = s
            i += 1
        }
        return value
    }

    /// Decodes the inside of a JSON string (escapes resolved). Unpaired surrogate escapes
    /// become U+FFFD, as the JSON specification leaves their meaning open.
    static func decodeString(_ inner: UnsafeRawBufferPointer) -> String {
        var out = [UInt8]()
        out.reserveCapacity(inner.count)
        var i = 0
        let n = inner.count
        func appendScalar(_ value: UInt32) {
            let scalar = Unicode.Scalar(value) ?? Unicode.Scalar(0xFFFD)!
            UTF8.encode(scalar) { out.append($0) }
        }
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= n else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                guard let h = JSONTape.hexValue(inner[at + k]) else { return nil }
                v = v << 4 | UInt32(h)
            }
            return v
        }
        while i < n {
            let c = inner[i]
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < n else { break }
            let e = inner[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard let unit = hex4(i) else { appendScalar(0xFFFD); continue }
                i += 4
                if unit >= 0xD800 && unit <= 0xDBFF {
                    if i + 6 <= n, inner[i] == UInt8(ascii: "\\"), inner[i + 1] == UInt8(ascii: "u"),
                       let low = hex4(i + 2), low >= 0xDC00 && low <= 0xDFFF {
                        i += 6
                        appendScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    } else {
                        appendScalar(0xFFFD)
                    }
                } else if unit >= 0xDC00 && unit <= 0xDFFF {
                    appendScalar(0xFFFD)
                } else {
                    appendScalar(unit)
                }
            default:
                out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Substring {
    /// The substring without leading and trailing ASCII whitespace.
    var trimmingSpaces: String { String(self).trimmingSpaces }
}

extension String {
    /// The string without leading and trailing ASCII whitespace.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].value <= 0x20 { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].value <= 0x20 { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
