/// Shell scripts an agent writes and then runs. `Write deploy.sh` followed by `bash deploy.sh` (or
/// `cat > x.sh <<'EOF' … EOF && ./x.sh` in one line) runs what the file holds: the run is classified
/// by the script's commands, so writing a command into a file first keeps it out of no finding.
///
/// What an action does to a file's content is a `ScriptChange`; the session's scripts, by absolute
/// path, are kept from action to action by the decoder (`DecodingState`) and handed to the
/// classifier in `ClassificationContext.scripts`.
public struct ScriptChange: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The file's whole new content.
        case whole(String)
        /// Text added at the end (`>>`, an append tool).
        case append(String)
        /// An edit: `old` replaced by `new` (the first occurrence, or every one).
        case replace(old: String, new: String, all: Bool)
        /// Changed in a way that cannot be followed: what the file held is no longer known.
        case unknown
    }

    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }
}

enum ScriptFiles {
    /// The most of a script remembered, in bytes: a longer one is followed up to its last line within the limit, and
    /// the run says the rest was not analysed.
    static let contentLimit = 1 << 20
    static let cutMarker = "\n# harness-audit: the script goes on beyond 1 MiB, not analysed\n"
    static let shellExtensions: Set<String> = ["sh", "bash", "zsh", "ksh", "dash", "mksh", "ash", "command"]

    /// Whether a file written is followed: a shell script, or a SQL file (`psql -f fix.sql` runs what it holds).
    static func isTracked(path: String, content: String) -> Bool {
        isShellScript(path: path, content: content) || isSQLFile(path)
    }

    /// A name ending `.sql` in any case, read on the bytes (it is asked of every file written).
    static func isSQLFile(_ path: String) -> Bool {
        let tail = path.utf8.suffix(4)
        guard tail.count == 4 else { return false }
        return tail.elementsEqual(".sql".utf8) { a, b in a | 0x20 == b | 0x20 }
    }

    /// Whether a file is a shell script: a shell's extension and no other interpreter's `#!` line, or a
    /// shell's `#!` line (`#!/bin/bash`, `#!/usr/bin/env -S bash -e`) whatever its name.
    static func isShellScript(path: String, content: String) -> Bool {
        if content.hasPrefix("#!") {
            let line = content.utf8.prefix { $0 != 0x0A }
            let words = String(decoding: line.dropFirst(2), as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" })
            return words.prefix(4).contains { word in
                ShellAnalyzer.shells.contains(ShellAnalyzer.basename(String(word)))
            }
        }
        return hasShellExtension(path)
    }

    /// Whether a file tool's write of `path` may make a shell script (a shell's extension, or content opening with
    /// `#!`): checked on the input's bytes, before anything is copied out of it.
    static func mayStartScript(path: String, input: JSONValue?) -> Bool {
        if hasShellExtension(path) || isSQLFile(path) { return true }
        guard let content = input?["content"] ?? input?["file_text"], content.isString else { return false }
        let bytes = content.stringBytes
        return bytes.count >= 2 && bytes[0] == UInt8(ascii: "#") && bytes[1] == UInt8(ascii: "!")
    }

    static func hasShellExtension(_ path: String) -> Bool {
        let name = ShellAnalyzer.basename(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return shellExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// What a file tool's input does to the content of `path` (already absolute).
    static func changes(tool lower: String, path: String, input: JSONValue?) -> [ScriptChange] {
        guard let input else { return [ScriptChange(path: path, kind: .unknown)] }
        if input["command"]?.isString("insert") == true {
            return [ScriptChange(path: path, kind: .unknown)]
        }
        if let content = input["content"]?.string ?? input["file_text"]?.string ?? input["text"]?.string {
            let appends = lower == "append_file" || input["append"]?.bool == true || input["mode"]?.isString("append") == true
            return [ScriptChange(path: path, kind: appends ? .append(content) : .whole(content))]
        }
        var edits: [JSONValue] = []
        if let list = input["edits"], list.isArray { edits = list.elements } else { edits = [input] }
        var found: [ScriptChange] = []
        for edit in edits {
            guard let old = edit["old_string"]?.string ?? edit["old_str"]?.string ?? edit["old_text"]?.string,
                  let new = edit["new_string"]?.string ?? edit["new_str"]?.string ?? edit["new_text"]?.string else {
                return [ScriptChange(path: path, kind: .unknown)]
            }
            found.append(ScriptChange(path: path, kind: .replace(old: old, new: new, all: edit["replace_all"]?.bool == true)))
        }
        return found.isEmpty ? [ScriptChange(path: path, kind: .unknown)] : found
    }

    /// The changes that matter: to a script already known, or content that makes a shell script.
    static func relevant(_ changes: [ScriptChange], known scripts: [String: String]) -> [ScriptChange] {
        changes.filter { change in
            if scripts[change.path] != nil { return true }
            switch change.kind {
            case .whole(let content), .append(let content): return isTracked(path: change.path, content: content)
            case .replace, .unknown: return false
            }
        }
    }

    /// Applies changes to a table of scripts by path. A script too large, or no longer a shell script,
    /// or edited where its remembered text holds neither the edit's old text nor its new one, is forgotten.
    /// Applying a change again changes nothing: one call is often logged twice (a hook before and after it,
    /// a transcript beside the hooks), so an edit already made, or text already appended, is left as it is.
    static func apply(_ changes: [ScriptChange], to table: inout [String: String]) {
        for change in changes {
            let current = table[change.path]
            var next: String?
            switch change.kind {
            case .whole(let content):
                next = content
            case .append(let text):
                if let current { next = current.hasSuffix(text) ? current : current + text } else { next = text }
            case .replace(let old, let new, let all):
                if let current, !old.isEmpty, current.utf8Offset(of: old) == nil, !new.isEmpty, current.utf8Offset(of: new) != nil {
                    next = current
                } else if let current, !old.isEmpty, let offset = current.utf8Offset(of: old) {
                    if all {
                        next = current.replacingAll(old, with: new)
                    } else {
                        let bytes = Array(current.utf8)
                        next = String(decoding: bytes[..<offset] + Array(new.utf8) + bytes[(offset + old.utf8.count)...], as: UTF8.self)
                    }
                }
            case .unknown:
                next = nil
            }
            if var next, isTracked(path: change.path, content: next) {
                if next.utf8.count > contentLimit {
                    let bytes = Array(next.utf8.prefix(contentLimit))
                    let end = bytes.lastIndex(of: 0x0A) ?? bytes.count
                    next = String(decoding: bytes[..<end], as: UTF8.self) + cutMarker
                }
                table[change.path] = next
            } else {
                table[change.path] = nil
            }
        }
    }
}
