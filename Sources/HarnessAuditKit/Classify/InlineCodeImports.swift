/// The other names a one-line program gives the calls that run commands, from its imports:
/// `import subprocess as sp` (`sp.run(`), `from subprocess import run as r` (`r(`), `from os import system`
/// (`system(`), `const { execSync: x } = require('child_process')` and `import { execSync as x } from
/// 'child_process'` (`x(`). `ShellAnalyzer.shellStringsInCode` reads their string and list arguments as it reads
/// `subprocess.run(`'s.
enum InlineCodeImports {
    struct Alias: Equatable {
        /// The call as the code writes it, up to its opening parenthesis: `sp.run(`, `r(`.
        var marker: String
        /// Whether the call takes the program's whole argument vector (`os.execvp('rm', ['rm', '-rf', …])`), whose
        /// first item is the program's own name rather than its first argument.
        var wholeVector: Bool
    }

    static let pythonModules: [String: [String]] = [
        "os": ["system", "popen", "execvp", "execv", "execlp", "execl"],
        "subprocess": ["run", "call", "check_call", "check_output", "Popen", "getoutput", "getstatusoutput"],
    ]
    static let javascriptCalls: Set<String> = ["execSync", "exec", "spawnSync", "spawn", "execFileSync", "execFile"]

    static func aliases(in code: String, language: String) -> [Alias] {
        let lower = language.lowercased()
        var out: [Alias] = []
        let statements = code.split { $0 == ";" || $0 == "\n" }.map { $0.trimmingSpaces }
        if lower.hasPrefix("python") || lower.hasPrefix("pypy") || lower.isEmpty {
            for statement in statements {
                let words = statement.split(separator: " ", omittingEmptySubsequences: true)
                if words.first == "import" {
                    // `import os, subprocess as sp`
                    for item in names(statement.dropFirst(6), separator: " as ") {
                        guard let calls = pythonModules[item.name], item.alias != item.name else { continue }
                        out += calls.map { Alias(marker: "\(item.alias).\($0)(", wholeVector: $0.hasPrefix("exec")) }
                    }
                } else if words.count >= 4, words[0] == "from", words[2] == "import", let calls = pythonModules[String(words[1])] {
                    // `from subprocess import (run as r, call)`
                    let line = Substring(statement)
                    guard let keyword = line.range(ofASCII: " import ") else { continue }
                    let list = line[keyword.upperBound...].filter { $0 != "(" && $0 != ")" }
                    for item in names(Substring(list), separator: " as ") where calls.contains(item.name) {
                        out.append(Alias(marker: "\(item.alias)(", wholeVector: item.name.hasPrefix("exec")))
                    }
                }
            }
        }
        if ["node", "nodejs", "deno", "bun", "tsx", "ts-node"].contains(lower) || lower.isEmpty {
            for statement in statements where statement.contains("child_process") {
                // `const { execSync: x, spawn } = require('child_process')`, `import { execSync as x } from 'node:child_process'`
                guard let open = statement.firstIndex(of: "{"), let close = statement[open...].firstIndex(of: "}") else { continue }
                let body = statement[statement.index(after: open)..<close]
                let separator = body.contains(":") ? ":" : " as "
                for item in names(body, separator: separator) where javascriptCalls.contains(item.name) && item.alias != item.name {
                    out.append(Alias(marker: "\(item.alias)(", wholeVector: false))
                }
            }
        }
        return out
    }

    /// `a as b, c` → (a, b), (c, c): the names of an import list and what the code calls them.
    static func names(_ list: Substring, separator: String) -> [(name: String, alias: String)] {
        list.split(separator: ",").compactMap { item in
            let split = item.range(ofASCII: separator)
            let name = (split.map { item[..<$0.lowerBound] } ?? item).trimmingSpaces
            let alias = split.map { item[$0.upperBound...].trimmingSpaces } ?? name
            guard !name.isEmpty else { return nil }
            guard !alias.isEmpty, alias.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }) else { return nil }
            return (name, alias)
        }
    }
}
