/// A validating JSON parser that records the structure of one line as a flat tape of
/// nodes pointing into the line's bytes. Nothing is copied or decoded while parsing;
/// strings and numbers are decoded only when a decoder asks for them.
///
/// Validation follows RFC 8259: the full grammar, UTF-8 well-formedness (no overlong
/// forms, no encoded surrogates, nothing above U+10FFFF), no raw control characters in
/// strings, and valid escapes. Nesting deeper than `maximumDepth` is rejected rather than
/// parsed, so hostile input cannot exhaust the stack of later recursive consumers.
public final class JSONTape {
    public enum Kind: UInt8, Sendable {
        case object, array, string, number, `true`, `false`, null
    }

    /// One node. `start`/`end` are byte offsets of the value's text (strings include their
    /// quotes); `next` is the tape index just past this node's subtree; `count` is the number
    /// of members (objects) or elements (arrays).
    /// Keys with escapes are compared by their raw text for duplicate detection.
    public struct Node {
        public var kind: Kind
        public var flags: UInt8
        public var start: UInt32
        public var end: UInt32
        public var next: UInt32
        public var count: UInt32
    }

    /// Node flag: the string contains backslash escapes.
    public static let hasEscapes: UInt8 = 1
    /// Node flag: the number has no fraction or exponent.
    public static let isInteger: UInt8 = 2
    /// Object flag: a key may repeat (a repeat was found, or a key has escapes and was compared
    /// raw), so a lookup must scan every member and take the last match.
    public static let mayRepeatKeys: UInt8 = 4

    public static let defaultMaximumDepth = 512

    /// A 32-bit signature of a key's bytes: its length and its first and last (up to) eight bytes.
    @inline(__always)
    static func keySignature(_ p: UnsafeRawPointer, _ length: Int) -> UInt32 {
        var head: UInt64 = 0
        var tail: UInt64 = 0
        if length >= 8 {
            head = p.loadUnaligned(as: UInt64.self)
            tail = (p + length - 8).loadUnaligned(as: UInt64.self)
        } else if length > 0 {
            withUnsafeMutableBytes(of: &head) { $0.baseAddress!.copyMemory(from: p, byteCount: length) }
        }
        var h = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(length)
        h ^= h >> 29
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    public let maximumDepth: Int
    /// The nodes of the last parsed text, in manually managed memory: `JSONValue`s point into it
    /// without retaining the tape (they are valid until the next parse, as documented there).
    public private(set) var nodeBase: UnsafeMutablePointer<Node>
    private var nodeCapacity = 256
    public private(set) var nodeCount = 0

    /// The nodes of the last parsed text.
    public var nodes: UnsafeBufferPointer<Node> { UnsafeBufferPointer(start: nodeBase, count: nodeCount) }

    @inline(__always) private func appendNode(_ node: Node) {
        if nodeCount == nodeCapacity { growNodes() }
        (nodeBase + nodeCount).initialize(to: node)
        nodeCount += 1
    }

    private func growNodes() {
        let bigger = UnsafeMutablePointer<Node>.allocate(capacity: nodeCapacity * 2)
        bigger.initialize(from: nodeBase, count: nodeCount)
        nodeBase.deallocate()
        nodeBase = bigger
        nodeCapacity *= 2
    }

    deinit {
        nodeBase.deallocate()
        rootSlots.deallocate()
    }

    /// A hash index of the root object's keys (by signature), built after each parse, so the many
    /// lookups decoders make on a line's top level cost one probe each. Slot values are key node
    /// indexes + 1; 0 is empty. Not built when keys may repeat or there are too many.
    static let rootSlotCount = 128
    let rootSlots: UnsafeMutablePointer<Int32> = {
        let slots = UnsafeMutablePointer<Int32>.allocate(capacity: JSONTape.rootSlotCount)
        slots.initialize(repeating: 0, count: JSONTape.rootSlotCount)
        return slots
    }()
    public private(set) var rootIndexed = false

    private func buildRootIndex() {
        if rootIndexed { rootSlots.update(repeating: 0, count: JSONTape.rootSlotCount) }
        rootIndexed = false
        guard nodeCount > 0, nodeBase[0].kind == .object, nodeBase[0].flags & JSONTape.mayRepeatKeys == 0,
              nodeBase[0].count <= UInt32(JSONTape.rootSlotCount / 2) else { return }
        let mask = JSONTape.rootSlotCount - 1
        var k = 1
        let end = Int(nodeBase[0].next)
        while k < end {
            var slot = Int(nodeBase[k].count) & mask
            while rootSlots[slot] != 0 { slot = (slot + 1) & mask }
            rootSlots[slot] = Int32(k + 1)
            k = Int(nodeBase[k + 1].next)
        }
        rootIndexed = true
    }
    private var stack: [Int] = []
    /// Per open object: a 64-bit signature set of its keys, for cheap duplicate detection.
    private var keyMasks: [UInt64] = []
    /// True when some object of the last parsed text repeated a key (the last value wins).
    public private(set) var hadDuplicateKeys = false

    public init(maximumDepth: Int = JSONTape.defaultMaximumDepth) {
        self.maximumDepth = maximumDepth
        nodeBase = UnsafeMutablePointer<Node>.allocate(capacity: 256)
        stack.reserveCapacity(64)
    }

    /// A parse failure with the byte offset where it was found.
    public struct ParseError: Error, Equatable, CustomStringConvertible, Sendable {
        public var offset: Int
        public var message: String
        public var description: String { "invalid JSON at byte \(offset + 1): \(message)" }
    }

    /// Parses one JSON text. On success the tape describes it; node 0 is the root.
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(ParseError) {
        nodeCount = 0
        stack.removeAll(keepingCapacity: true)
        keyMasks.removeAll(keepingCapacity: true)
        hadDuplicateKeys = false
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw ParseError(offset: 0, message: "empty input")
        }
        guard bytes.count < Int(UInt32.max) else {
            throw ParseError(offset: 0, message: "input larger than 4 GiB")
        }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var i = 0

        @inline(__always) func skipSpace() {
            while i < n {
                let c = p[i]
                if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { break }
            }
        }

        skipSpace()
        // State machine: after a value inside a container we expect ',' or the closer.
        var expectValue = true
        while true {
            if expectValue {
                guard i < n else { throw ParseError(offset: i, message: "unexpected end of input") }
                let c = p[i]
                switch c {
                case UInt8(ascii: "{"):
                    guard stack.count < maximumDepth else {
                        throw ParseError(offset: i, message: "nesting deeper than \(maximumDepth) levels")
                    }
                    stack.append(nodeCount)
                    keyMasks.append(0)
                    appendNode(Node(kind: .object, flags: 0, start: UInt32(i), end: 0, next: 0, count: 0))
                    i += 1
                    skipSpace()
                    if i < n && p[i] == UInt8(ascii: "}") {
                        i += 1
                        closeContainer(at: i)
                        expectValue = false
                    } else {
                        try parseKey(p, n, &i)
                    }
                    continue
                case UInt8(ascii: "["):
                    guard stack.count < maximumDepth else {
                        throw ParseError(offset: i, message: "nesting deeper than \(maximumDepth) levels")
                    }
                    stack.append(nodeCount)
                    appendNode(Node(kind: .array, flags: 0, start: UInt32(i), end: 0, next: 0, count: 0))
                    i += 1
                    skipSpace()
                    if i < n && p[i] == UInt8(ascii: "]") {
                        i += 1
                        closeContainer(at: i)
                        expectValue = false
                    }
                    continue
                case UInt8(ascii: "\""):
                    let start = i
                    let flags = try scanString(p, n, &i)
                    appendNode(Node(kind: .string, flags: flags, start: UInt32(start), end: UInt32(i),
                                      next: UInt32(nodeCount + 1), count: 0))
                case UInt8(ascii: "t"):
                    try literal(p, n, &i, "true")
                    appendNode(Node(kind: .true, flags: 0, start: UInt32(i - 4), end: UInt32(i),
                                      next: UInt32(nodeCount + 1), count: 0))
                case UInt8(ascii: "f"):
                    try literal(p, n, &i, "false")
                    appendNode(Node(kind: .false, flags: 0, start: UInt32(i - 5), end: UInt32(i),
                                      next: UInt32(nodeCount + 1), count: 0))
                case UInt8(ascii: "n"):
                    try literal(p, n, &i, "null")
                    appendNode(Node(kind: .null, flags: 0, start: UInt32(i - 4), end: UInt32(i),
                                      next: UInt32(nodeCount + 1), count: 0))
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let start = i
                    let flags = try scanNumber(p, n, &i)
                    appendNode(Node(kind: .number, flags: flags, start: UInt32(start), end: UInt32(i),
                                      next: UInt32(nodeCount + 1), count: 0))
                default:
                    throw ParseError(offset: i, message: unexpectedMessage(c, expecting: "a value"))
                }
                expectValue = false
                continue
            }
            // After a complete value.
            guard let top = stack.last else {
                skipSpace()
                guard i == n else {
                    throw ParseError(offset: i, message: "unexpected \(describe(p[i])) after the JSON value")
                }
                buildRootIndex()
                return
            }
            skipSpace()
            guard i < n else { throw ParseError(offset: i, message: "unexpected end of input inside \(nodeBase[top].kind == .object ? "an object" : "an array")") }
            let c = p[i]
            if nodeBase[top].kind == .object {
                nodeBase[top].count += 1
                if c == UInt8(ascii: ",") {
                    i += 1
                    skipSpace()
                    try parseKey(p, n, &i)
                    expectValue = true
                } else if c == UInt8(ascii: "}") {
                    i += 1
                    closeContainer(at: i)
                } else {
                    throw ParseError(offset: i, message: unexpectedMessage(c, expecting: "',' or '}'"))
                }
            } else {
                nodeBase[top].count += 1
                if c == UInt8(ascii: ",") {
                    i += 1
                    skipSpace()
                    expectValue = true
                } else if c == UInt8(ascii: "]") {
                    i += 1
                    closeContainer(at: i)
                } else {
                    throw ParseError(offset: i, message: unexpectedMessage(c, expecting: "',' or ']'"))
                }
            }
        }
    }

    @inline(__always)
    private func closeContainer(at end: Int) {
        let index = stack.removeLast()
        if nodeBase[index].kind == .object { keyMasks.removeLast() }
        nodeBase[index].end = UInt32(end)
        nodeBase[index].next = UInt32(nodeCount)
    }

    /// Records the key just appended to the innermost object and flags a repeat.
    @inline(__always)
    private func noteKey(_ p: UnsafePointer<UInt8>, start: Int, end: Int, escaped: Bool) {
        let length = end - start - 2
        if escaped { nodeBase[stack[stack.count - 1]].flags |= JSONTape.mayRepeatKeys }
        let first = length > 0 ? Int(p[start + 1]) : 0
        let last = length > 0 ? Int(p[end - 2]) : 0
        let bit = UInt64(1) << UInt64((length &* 31 &+ first &* 7 &+ last) & 63)
        let top = keyMasks.count - 1
        if keyMasks[top] & bit != 0 {
            // Possible repeat: compare with the earlier keys of this object.
            let object = stack[stack.count - 1]
            var k = object + 1
            let newKey = nodeCount - 1
            while k < newKey {
                let candidate = nodeBase[k]
                let cLength = Int(candidate.end) - Int(candidate.start) - 2
                if cLength == length
                    && memcmp(p + Int(candidate.start) + 1, p + start + 1, length) == 0 {
                    hadDuplicateKeys = true
                    nodeBase[object].flags |= JSONTape.mayRepeatKeys
                    break
                }
                k = Int(nodeBase[k + 1].next)
            }
        }
        keyMasks[top] |= bit
    }

    /// Parses `"key" :` and leaves `i` at the value.
    @inline(__always)
    private func parseKey(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(ParseError) {
        guard i < n else { throw ParseError(offset: i, message: "unexpected end of input, expecting an object key") }
        guard p[i] == UInt8(ascii: "\"") else {
            throw ParseError(offset: i, message: unexpectedMessage(p[i], expecting: "an object key string"))
        }
        let start = i
        let flags = try scanString(p, n, &i)
        // A key's `count` holds its signature, so lookups compare one integer per member.
        appendNode(Node(kind: .string, flags: flags, start: UInt32(start), end: UInt32(i),
                          next: UInt32(nodeCount + 1), count: JSONTape.keySignature(UnsafeRawPointer(p + start + 1), i - start - 2)))
        noteKey(p, start: start, end: i, escaped: flags & JSONTape.hasEscapes != 0)
        while i < n, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0A || p[i] == 0x0D { i += 1 }
        guard i < n, p[i] == UInt8(ascii: ":") else {
            throw ParseError(offset: i, message: i < n ? unexpectedMessage(p[i], expecting: "':' after an object key")
                                                      : "unexpected end of input, expecting ':'")
        }
        i += 1
        while i < n, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0A || p[i] == 0x0D { i += 1 }
    }

    /// Scans a string starting at the opening quote; leaves `i` after the closing quote.
    @inline(__always)
    private func scanString(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(ParseError) -> UInt8 {
        let open = i
        i += 1
        var flags: UInt8 = 0
        let raw = UnsafeRawPointer(p)
        while true {
            // Eight bytes at a time while they hold no quote, backslash, control or non-ASCII byte.
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101
                let high: UInt64 = 0x8080_8080_8080_8080
                let quote = w ^ (ones &* 0x22)
                let slash = w ^ (ones &* 0x5C)
                let special = ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | (w &- ones &* 0x20) | w
                if special & high != 0 { break }
                i += 8
            }
            guard i < n else { throw ParseError(offset: open, message: "unterminated string") }
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return flags
            } else if c == UInt8(ascii: "\\") {
                flags |= JSONTape.hasEscapes
                guard i + 1 < n else { throw ParseError(offset: open, message: "unterminated string") }
                let e = p[i + 1]
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 6 <= n else { throw ParseError(offset: i, message: "truncated \\u escape") }
                    for k in 2..<6 where JSONTape.hexValue(p[i + k]) == nil {
                        throw ParseError(offset: i, message: "invalid \\u escape")
                    }
                    i += 6
                default:
                    throw ParseError(offset: i, message: "invalid escape '\\\(describeRaw(e))'")
                }
            } else if c < 0x20 {
                throw ParseError(offset: i, message: "control character \(describe(c)) inside a string")
            } else if c < 0x80 {
                i += 1
            } else {
                try validateUTF8Sequence(p, n, &i)
            }
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `i` and advances past it.
    @inline(__always)
    private func validateUTF8Sequence(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(ParseError) {
        let c = p[i]
        var length = 0
        var low: UInt8 = 0x80
        var highBound: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; highBound = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; highBound = 0x8F
        default:
            throw ParseError(offset: i, message: "invalid UTF-8 byte 0x\(String(c, radix: 16, uppercase: true))")
        }
        guard i + length <= n else { throw ParseError(offset: i, message: "truncated UTF-8 sequence") }
        let second = p[i + 1]
        guard second >= low && second <= highBound else {
            throw ParseError(offset: i, message: "invalid UTF-8 sequence")
        }
        for k in 2..<length where p[i + k] & 0xC0 != 0x80 {
            throw ParseError(offset: i, message: "invalid UTF-8 sequence")
        }
        i += length
    }

    @inline(__always)
    private func scanNumber(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(ParseError) -> UInt8 {
        let start = i
        var integer = true
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n else { throw ParseError(offset: start, message: "invalid number") }
        if p[i] == UInt8(ascii: "0") {
            i += 1
        } else if p[i] >= UInt8(ascii: "1") && p[i] <= UInt8(ascii: "9") {
            while i < n && p[i] >= 48 && p[i] <= 57 { i += 1 }
        } else {
            throw ParseError(offset: start, message: "invalid number")
        }
        if i < n && p[i] == UInt8(ascii: ".") {
            integer = false
            i += 1
            let digitsStart = i
            while i < n && p[i] >= 48 && p[i] <= 57 { i += 1 }
            guard i > digitsStart else { throw ParseError(offset: start, message: "invalid number: no digits after '.'") }
        }
        if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            integer = false
            i += 1
            if i < n && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            let digitsStart = i
            while i < n && p[i] >= 48 && p[i] <= 57 { i += 1 }
            guard i > digitsStart else { throw ParseError(offset: start, message: "invalid number: no exponent digits") }
        }
        return integer ? JSONTape.isInteger : 0
    }

    @inline(__always)
    private func literal(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ word: StaticString) throws(ParseError) {
        let count = word.utf8CodeUnitCount
        guard i + count <= n else { throw ParseError(offset: i, message: "invalid literal") }
        let w = word.utf8Start
        for k in 0..<count where p[i + k] != w[k] {
            throw ParseError(offset: i, message: "invalid literal")
        }
        i += count
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }

    private func unexpectedMessage(_ c: UInt8, expecting: String) -> String {
        "unexpected \(describe(c)), expecting \(expecting)"
    }

    private func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x\(c < 16 ? "0" : "")\(String(c, radix: 16, uppercase: true))"
    }

    private func describeRaw(_ c: UInt8) -> String {
        c >= 0x21 && c < 0x7F ? String(Character(Unicode.Scalar(c))) : "0x" + String(c, radix: 16)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
