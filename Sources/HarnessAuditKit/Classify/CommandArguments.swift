/// The arguments of one command (after the program name), with helpers for the usual
/// option syntaxes: `-rf` clusters, `--name=value`, `--name value`, `-n value`, `-nvalue`.
struct CommandArguments {
    let words: [ShellWord]
    var texts: [String] { words.map(\.text) }

    init(_ words: [ShellWord]) { self.words = words }
    init(_ texts: [String]) { words = texts.map { ShellWord(text: $0) } }

    var isEmpty: Bool { words.isEmpty }

    /// Whether a long or short option is present (exactly, or as `--name=…`).
    func has(_ names: String...) -> Bool {
        for word in words {
            let text = word.text
            if text == "--" { break }
            for name in names {
                if text == name { return true }
                if name.hasPrefix("--") && text.hasPrefix(name + "=") { return true }
            }
        }
        return false
    }

    /// Whether a single-letter flag appears alone or in a cluster (`-r`, `-rf`, `-fr`).
    func hasShort(_ letter: Character) -> Bool {
        for word in words {
            let text = word.text
            if text == "--" { break }
            guard text.hasPrefix("-"), !text.hasPrefix("--"), text.count > 1 else { continue }
            if text.dropFirst().allSatisfy({ $0.isLetter }) && text.dropFirst().contains(letter) { return true }
        }
        return false
    }

    /// The value of an option: `--name value`, `--name=value`, `-n value`, `-nvalue` (short only).
    func value(_ names: String...) -> String? {
        var index = 0
        while index < words.count {
            let text = words[index].text
            if text == "--" { break }
            for name in names {
                if text == name, index + 1 < words.count { return words[index + 1].text }
                if text.hasPrefix(name + "=") { return String(text.dropFirst(name.count + 1)) }
                if !name.hasPrefix("--"), name.count == 2, text.hasPrefix(name), text.count > 2,
                   !text.hasPrefix("--") {
                    return String(text.dropFirst(2))
                }
            }
            index += 1
        }
        return nil
    }

    /// Every value of a repeatable option: `-c v`, `--name=v`, `-cv` (attached), and a short
    /// option ending a cluster of flags (`-tAc v`).
    func values(_ names: String...) -> [String] {
        var out: [String] = []
        var index = 0
        while index < words.count {
            let text = words[index].text
            if text == "--" { break }
            for name in names {
                if text == name, index + 1 < words.count {
                    out.append(words[index + 1].text)
                } else if text.hasPrefix(name + "=") {
                    out.append(String(text.dropFirst(name.count + 1)))
                } else if name.count == 2, !name.hasPrefix("--"), text.hasPrefix("-"), !text.hasPrefix("--"), text.count > 2 {
                    let letter = name.last!
                    if text.hasPrefix(name) && !text.dropFirst(2).allSatisfy({ $0.isLetter }) {
                        out.append(String(text.dropFirst(2)))   // -e"DROP TABLE t"
                    } else if text.dropFirst().allSatisfy({ $0.isLetter }) && text.last == letter && index + 1 < words.count {
                        out.append(words[index + 1].text)   // -tAc "SQL"
                    }
                }
            }
            index += 1
        }
        return out
    }

    /// Arguments that are not options, skipping the values of options in `valued`.
    /// Everything after `--` is positional.
    func positionals(valued: Set<String> = []) -> [ShellWord] {
        var out: [ShellWord] = []
        var index = 0
        var optionsDone = false
        while index < words.count {
            let word = words[index]
            let text = word.text
            if optionsDone {
                out.append(word)
            } else if text == "--" {
                optionsDone = true
            } else if text.hasPrefix("-") && text.count > 1 {
                if valued.contains(text) { index += 1 }
            } else {
                out.append(word)
            }
            index += 1
        }
        return out
    }

    /// The words after the first `--`, if any.
    var afterDoubleDash: [ShellWord]? {
        guard let index = words.firstIndex(where: { $0.text == "--" }) else { return nil }
        return Array(words[(index + 1)...])
    }

    /// A dry run: nothing is changed.
    var isDryRun: Bool {
        for word in words {
            let text = word.text.lowercased()
            if text == "--dry-run" || text == "--dryrun" || text == "-whatif" || text == "--what-if" || text == "-dry-run" { return true }
            if text.hasPrefix("--dry-run=") { return !text.hasSuffix("=none") }
        }
        return false
    }
}
