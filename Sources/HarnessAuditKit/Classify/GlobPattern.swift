/// A glob pattern for paths and names: `*` (not across `/`), `**` (anything), `?`,
/// and `[abc]` classes. Matching is case-sensitive, as file systems on Linux are.
public struct GlobPattern: Hashable, Sendable {
    public let text: String
    private let pattern: [UInt8]

    public init(_ text: String) {
        self.text = text
        pattern = Array(text.utf8)
    }

    /// A pattern that matches `text` only: `*`, `?`, `[` and `]` become one-character classes.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "*", "?", "[", "]": out += "[\(character)]"
            default: out.append(character)
            }
        }
        return out
    }

    /// Whether `pattern` matches a name that is not a path (an agent, principal, repository, session or host): `*` then
    /// matches any run of characters, `/` included, so `repo: "*"` is any repository and `acme*` any of acme's.
    public static func matchesName(_ pattern: String, _ name: String) -> Bool {
        pattern == name || GlobPattern(pattern.split(separator: "*", omittingEmptySubsequences: false).joined(separator: "**")).matches(name)
    }

    public func matches(_ candidate: String) -> Bool {
        GlobPattern.match(pattern, 0, Array(candidate.utf8), 0)
    }

    private static func match(_ p: [UInt8], _ pi: Int, _ s: [UInt8], _ si: Int) -> Bool {
        var pi = pi
        var si = si
        var starP = -1
        var starS = -1
        var starCrossesSlash = false
        while si < s.count {
            if pi < p.count {
                let c = p[pi]
                if c == UInt8(ascii: "*") {
                    var j = pi
                    while j < p.count && p[j] == UInt8(ascii: "*") { j += 1 }
                    starCrossesSlash = j - pi >= 2
                    starP = j
                    starS = si
                    pi = j
                    continue
                }
                if c == UInt8(ascii: "?") && s[si] != UInt8(ascii: "/") {
                    pi += 1
                    si += 1
                    continue
                }
                if c == UInt8(ascii: "["), let (matched, next) = matchClass(p, pi, s[si]) {
                    if matched {
                        pi = next
                        si += 1
                        continue
                    }
                } else if c == s[si] {
                    pi += 1
                    si += 1
                    continue
                }
            }
            if starP >= 0 && (starCrossesSlash || s[starS] != UInt8(ascii: "/")) {
                starS += 1
                si = starS
                pi = starP
                continue
            }
            return false
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    private static func matchClass(_ p: [UInt8], _ start: Int, _ c: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < p.count && (p[i] == UInt8(ascii: "!") || p[i] == UInt8(ascii: "^")) {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < p.count && (p[i] != UInt8(ascii: "]") || first) {
            if i + 2 < p.count && p[i + 1] == UInt8(ascii: "-") && p[i + 2] != UInt8(ascii: "]") {
                if c >= p[i] && c <= p[i + 2] { matched = true }
                i += 3
            } else {
                if c == p[i] { matched = true }
                i += 1
            }
            first = false
        }
        guard i < p.count else { return nil }
        return (matched != negate, i + 1)
    }
}
