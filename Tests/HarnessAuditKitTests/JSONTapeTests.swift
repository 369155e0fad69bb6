import Foundation
import Testing
@testable import HarnessAuditKit

@Suite("JSON tape parser")
struct JSONTapeTests {
    func parse(_ text: String) -> Result<String, JSONTape.ParseError> {
        let tape = JSONTape()
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer in
            do throws(JSONTape.ParseError) {
                try tape.parse(buffer)
                return .success(JSONValue(bytes: buffer, tape: tape).rawText)
            } catch {
                return .failure(error)
            }
        }
    }

    func parseBytes(_ bytes: [UInt8]) -> JSONTape.ParseError? {
        let tape = JSONTape()
        return bytes.withUnsafeBytes { buffer in
            do throws(JSONTape.ParseError) {
                try tape.parse(buffer)
                return nil
            } catch {
                return error
            }
        }
    }

    @Test("accepts valid JSON texts", arguments: [
        "{}", "[]", "0", "-0", "1.5e10", "-12.25E-3", "true", "false", "null", "\"\"", "\"a\\u00e9\\n\\\"\"",
        " { \"a\" : [ 1 , 2 , { } ] } ", "{\"a\":{\"b\":{\"c\":[null,true,false,\"x\"]}}}",
        "\"\u{1F600} emoji and accents é\"", "[\"\\ud83d\\ude00\"]", "{\"a\":1,\"a\":2}",
    ])
    func acceptsValid(_ text: String) {
        if case .failure(let error) = parse(text) { Issue.record("rejected \(text): \(error)") }
    }

    @Test("rejects invalid JSON texts", arguments: [
        "", "{", "}", "[1,]", "{\"a\":1,}", "{,}", "[1 2]", "{\"a\" 1}", "{a:1}", "'x'", "01", "1.", ".5", "1e",
        "-", "+1", "tru", "nul", "\"unterminated", "\"bad \\x escape\"", "\"\\u12G4\"", "{} {}", "[1]]",
        "\"tab\tinside\"", "NaN", "Infinity",
    ])
    func rejectsInvalid(_ text: String) {
        if case .success = parse(text) { Issue.record("accepted invalid JSON \(text)") }
    }

    @Test("rejects malformed UTF-8: lone continuation, overlong, surrogate, beyond U+10FFFF, truncated")
    func rejectsMalformedUTF8() {
        let cases: [[UInt8]] = [
            [0x22, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x22, 0xFF, 0x22],
        ]
        for bytes in cases {
            let error = parseBytes(bytes)
            #expect(error != nil, "accepted \(bytes)")
            #expect(error?.message.contains("UTF-8") == true)
        }
        #expect(parseBytes([0x22, 0xE2, 0x82, 0xAC, 0x22]) == nil, "the euro sign is valid UTF-8")
    }

    @Test("error messages give the byte position")
    func errorPosition() {
        guard case .failure(let error) = parse("{\"a\":1,,}") else {
            Issue.record("accepted")
            return
        }
        #expect(error.offset == 7)
        #expect(error.description == "invalid JSON at byte 8: unexpected ',', expecting an object key string")
    }

    @Test("nesting deeper than the limit is rejected, not parsed recursively")
    func depthLimit() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        guard case .failure(let error) = parse(deep) else {
            Issue.record("accepted 10,000-deep nesting")
            return
        }
        #expect(error.message == "nesting deeper than 512 levels")
        let ok = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        if case .failure(let error) = parse(ok) { Issue.record("rejected 500-deep nesting: \(error)") }
    }

    @Test("member lookup, last duplicate key wins, duplicates are flagged")
    func lookup() {
        let tape = JSONTape()
        let bytes = Array("{\"a\":1,\"b\":{\"c\":\"x\\ny\"},\"a\":2,\"e\\u0073c\":true}".utf8)
        bytes.withUnsafeBytes { buffer in
            try! tape.parse(buffer)
            let root = JSONValue(bytes: buffer, tape: tape)
            #expect(root["a"]?.int64 == 2)
            #expect(root["b"]?["c"]?.string == "x\ny")
            #expect(root["esc"]?.bool == true)
            #expect(root["missing"] == nil)
            #expect(root.keys == ["a", "b", "a", "esc"])
            #expect(tape.hadDuplicateKeys)
        }
        let unique = Array("{\"ab\":1,\"ba\":2,\"a\":{\"ab\":3}}".utf8)
        unique.withUnsafeBytes { buffer in
            try! tape.parse(buffer)
            #expect(!tape.hadDuplicateKeys, "same key in different objects is not a duplicate")
        }
    }

    @Test("scalar conversions tolerate strings and reject out-of-range numbers")
    func scalars() {
        let tape = JSONTape()
        let bytes = Array("[\"42\",42,4.0,4.5,99999999999999999999,\"true\",\"\\ud800\",-9223372036854775808]".utf8)
        bytes.withUnsafeBytes { buffer in
            try! tape.parse(buffer)
            let items = JSONValue(bytes: buffer, tape: tape).elements
            #expect(items[0].int64 == 42)
            #expect(items[1].int64 == 42)
            #expect(items[2].int64 == 4)
            #expect(items[3].int64 == nil)
            #expect(items[4].int64 == nil, "out of Int64 range")
            #expect(items[5].bool == true)
            #expect(items[6].string == "\u{FFFD}", "a lone surrogate escape decodes to U+FFFD")
            #expect(items[7].int64 == Int64.min)
        }
    }

    @Test("the writer escapes exactly quotes, backslashes, control characters, DEL and U+2028/9, and nothing else")
    func writerEscapes() throws {
        #expect(JSONWriter.quoted("plain ascii") == "\"plain ascii\"")
        #expect(JSONWriter.quoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONWriter.quoted("\n\r\t\u{01}\u{1F}\u{7F}") == #""\n\r\t\u0001\u001f\u007f""#)
        #expect(JSONWriter.quoted("x\u{2028}y\u{2029}z") == #""x\u2028y\u2029z""#)
        // Other characters that start with the same byte as U+2028 (0xE2) pass through unchanged.
        #expect(JSONWriter.quoted("… € ⌘ \"") == "\"… € ⌘ \\\"\"")
        #expect(JSONWriter.quoted("é中🙂\u{2027}\u{202A}") == "\"é中🙂\u{2027}\u{202A}\"")
        // Random strings over the interesting characters read back as themselves.
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "\"", "\\", "\n", "\u{00}", "\u{1B}", "\u{7F}", "\u{2028}", "\u{2029}", "…", "€", "🙂", "é", "/", " "]
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let json = "[" + JSONWriter.quoted(text) + "]"
            let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
            #expect(decoded == [text], "\(json)")
        }
    }
}
