/// Shells, interpreters, remote shells and network clients.
extension ShellAnalyzer {
    static let shells: Set<String> = ["sh", "bash", "zsh", "dash", "ksh", "mksh", "fish", "ash", "busybox", "rbash", "tcsh", "csh"]
    static let downloaders: Set<String> = ["curl", "wget", "fetch", "http", "https", "xh", "aria2c", "lwp-download",
                                          "invoke-webrequest", "iwr", "invoke-restmethod", "irm", "wget2", "curlie"]
    static let decoders: Set<String> = ["base64", "base32", "xxd", "openssl", "uudecode", "gunzip", "zcat", "rev", "tr"]
    static let interpreters: Set<String> = ["python", "python2", "python3", "node", "nodejs", "perl", "ruby", "php",
                                           "lua", "deno", "bun", "pwsh", "powershell", "osascript", "tclsh", "Rscript"]

    /// Bun's own subcommands (its package manager and test runner): `bun <file>` runs the file.
    static let bunSubcommands: Set<String> = ["run", "test", "x", "install", "i", "add", "a", "remove", "rm", "update", "outdated",
                                              "publish", "pm", "link", "unlink", "build", "init", "create", "upgrade", "audit",
                                              "patch", "why", "info"]

    static func isInterpreterName(_ name: String) -> Bool {
        if interpreters.contains(name) || shells.contains(name) { return true }
        return name.hasPrefix("python3.") || name.hasPrefix("python2.")
    }

    /// Whether an upstream command of a pipeline decodes data (base64 -d, xxd -r, openssl enc -d).
    static func isDecoder(_ command: ResolvedCommand) -> Bool {
        let a = command.args
        switch command.program {
        case "base64", "base32": return a.hasShort("d") || a.has("--decode") || a.hasShort("D")
        case "xxd": return a.hasShort("r") || a.has("-revert")
        case "openssl": return a.texts.contains("-d") || a.texts.first == "base64" && a.texts.contains("-d")
        case "uudecode": return true
        default: return false
        }
    }

    /// The decoder a process or command substitution runs (`<(base64 -d payload.b64)`), if any.
    static func decoderInSubstitution(_ text: String) -> String? {
        ShellParser.parse(text).allCommands.lazy.compactMap { decoder($0.words) }.first
    }

    /// The decoder a command's words run (`base64 -d payload.b64`), if they run one.
    static func decoder(_ words: [ShellWord]) -> String? {
        guard let first = words.first, case let program = basename(first.text), decoders.contains(program),
              isDecoder(ResolvedCommand(program: program, args: CommandArguments(Array(words.dropFirst())), written: first.text))
        else { return nil }
        return program
    }

    /// Running a script the line downloaded or decoded (`curl -o i.sh … && sh i.sh`, `base64 -d p.b64 > p.sh && sh p.sh`):
    /// code nobody read. Says so and returns true for such a script.
    mutating func runsFetchedScript(_ target: String, as shown: String) -> Bool {
        if downloaded.contains(target) {
            add(.highRisk, "runs a script it downloaded (\(shown))")
            return true
        }
        if decoded.contains(target) {
            add(.highRisk, "runs a script it decoded (\(shown))")
            add(.obfuscated, "the script it runs was encoded (\(shown))")
            return true
        }
        return false
    }

    /// sh, bash, zsh …: `-c SCRIPT`, a script file, or a script on standard input.
    mutating func shell(_ command: ResolvedCommand, stdin: ResolvedCommand?, upstreamAll: [ResolvedCommand]) {
        let name = command.program
        let words = command.args.words
        // Find `-c` in option clusters such as -lc, -xec, -ic.
        var index = 0
        var scriptIndex: Int?
        var readsStdinScript = false
        // `bash -n x.sh`, `sh -o noexec`: the script is read for its syntax; nothing runs (`+n`, `+o noexec` undo it).
        var noexec = false
        while index < words.count {
            let text = words[index].text
            if text == "--" { index += 1; break }
            if text == "-" {
                readsStdinScript = true
                index += 1
                break
            }
            if (text == "-o" || text == "+o"), index + 1 < words.count {
                if words[index + 1].text == "noexec" { noexec = text == "-o" }
                index += 2
                continue
            }
            if text == "--noexec" { noexec = true }
            if (text.hasPrefix("-") || text.hasPrefix("+")) && !text.hasPrefix("--") && text.count > 1
                && text.dropFirst().allSatisfy({ $0.isLetter }) && text.dropFirst().contains("n") {
                noexec = text.hasPrefix("-")
            }
            if text.hasPrefix("+") && text.count > 1 {
                index += 1
                continue
            }
            if text.hasPrefix("-") && !text.hasPrefix("--") && text.count > 1 {
                if text.dropFirst().contains("c") { scriptIndex = index + 1 }
                if text.dropFirst().contains("s") { readsStdinScript = true }
                if text == "-o" || text == "+o" { index += 1 }
                index += 1
                continue
            }
            if text.hasPrefix("--") {
                index += 1
                continue
            }
            break
        }
        if noexec {
            family(name, nil)
            result.note("\(name) with noexec (-n) checks the script's syntax: nothing runs")
            return
        }
        // A shell that runs a script given on its command line is a wrapper: the commands of the script are
        // what ran (so `bash -lc 'pytest'`, as Codex runs every command, is pytest, not a new kind of command).
        if let scriptIndex {
            guard scriptIndex < words.count else { return family(name, nil) }
            let script = words[scriptIndex]
            if script.hasExpansion && !script.hasCommandSubstitution {
                let literal = script.text.filter { $0 != "$" && $0 != "{" && $0 != "}" }
                if script.text.hasPrefix("$") && !literal.contains(" ") {
                    family(name, nil)
                    add(.obfuscated, "\(name) -c runs a script held in a variable (\(script.text))")
                    return
                }
            }
            if let substitutions = downloaderInSubstitution(script.text) {
                add(.highRisk, "downloads a script and runs it (\(name) -c \"$(\(substitutions) …)\")")
                add(.network, "downloads with \(substitutions)")
            }
            nested(script.text, origin: "\(name) -c")
            return
        }
        family(name, nil)
        // A script path, possibly a process substitution or a file downloaded earlier.
        if index < words.count && !readsStdinScript {
            let script = words[index]
            if script.text.hasPrefix("<(") || script.text.hasPrefix("/dev/fd/") {
                if let tool = downloaderInSubstitution(script.text) {
                    add(.highRisk, "downloads a script and runs it (\(name) <(\(tool) …))")
                    add(.network, "downloads with \(tool)")
                } else if let decoder = ShellAnalyzer.decoderInSubstitution(script.text) {
                    // `bash <(echo cm0g… | base64 -d)`: the script is encoded on the line.
                    add(.highRisk, "decodes a script and runs it (\(name) <(\(decoder) …))")
                    add(.obfuscated, "the script \(name) runs is encoded (\(decoder))")
                }
                return
            }
            let target = path(script.text)
            _ = runsFetchedScript(target, as: "\(name) \(script.text)")
            result.target(ActionTarget(.path, target, operation: "exec"))
            runWrittenScript(target, as: "\(name) \(script.text)")
            return
        }
        // The script comes from standard input.
        if let text = command.stdinText {
            nested(text, origin: "\(name) here-document")
            return
        }
        if let stdin { pipedIntoInterpreter(name, stdin: stdin, upstreamAll: upstreamAll) }
    }

    /// `curl … | sh`, `base64 -d | bash`, `echo … | sh`.
    mutating func pipedIntoInterpreter(_ name: String, stdin: ResolvedCommand, upstreamAll: [ResolvedCommand]) {
        if let client = upstreamAll.first(where: { ShellAnalyzer.networkClients.contains($0.program) }) {
            add(.highRisk, "pipes a network connection into \(name) (\(client.program) | \(name), reverse shell pattern)")
            return
        }
        if let downloader = upstreamAll.first(where: { ShellAnalyzer.downloaders.contains($0.program.lowercased()) }) {
            add(.highRisk, "downloads code and pipes it into \(name) (\(downloader.program) | \(name))")
            return
        }
        if let decoder = upstreamAll.first(where: ShellAnalyzer.isDecoder) {
            add(.highRisk, "decodes data and runs it (\(decoder.program) | \(name))")
            add(.obfuscated, "the code run by \(name) is encoded (\(decoder.program))")
            return
        }
        if stdin.program == "echo" || stdin.program == "printf" {
            let text = stdin.args.texts.filter { !$0.hasPrefix("-") || stdin.program == "printf" }.joined(separator: " ")
            if ShellAnalyzer.shells.contains(name) {
                // `printf '\x72\x6d -rf /srv' | sh`, `echo -e '\0162m …' | bash`: the shell runs the text the escapes spell.
                let decoded = ShellAnalyzer.decodingEscapes(text)
                let interprets = stdin.program == "printf" || stdin.args.texts.contains(where: { $0.hasPrefix("-") && $0.contains("e") })
                if decoded != text, interprets {
                    // Characters written as codes (`\x72`, `\0162`) hide the command; a `\n` does not.
                    let bytes = Array(text.utf8)
                    let coded = bytes.indices.dropLast().contains { bytes[$0] == 0x5C && (bytes[$0 + 1] == 0x78 || (0x30...0x37).contains(bytes[$0 + 1])) }
                    if coded {
                        add(.obfuscated, "the command run by \(name) is written as escape sequences (\(stdin.program))")
                        add(.highRisk, "hides what \(name) runs in escape sequences (\(stdin.program) | \(name))")
                    }
                    nested(decoded, origin: "\(stdin.program) | \(name)")
                } else {
                    nested(text, origin: "\(stdin.program) | \(name)")
                }
            }
            return
        }
        if stdin.program == "cat", let text = stdin.stdinText {
            nested(text, origin: "here-document | \(name)")
            return
        }
        // `cat deploy.sh | sh`: the shell runs the script it is fed.
        if stdin.program == "cat", ShellAnalyzer.shells.contains(name),
           let file = stdin.args.texts.first(where: { !$0.hasPrefix("-") }) {
            runWrittenScript(path(file), as: "cat \(file) | \(name)")
            return
        }
        // `rev <<< '…' | sh`, `sed 's/^/rm /' list | sh`, `python3 gen.py | bash`: another program writes the commands the
        // shell runs, so what runs cannot be read from the line.
        if ShellAnalyzer.shells.contains(name), stdin.program != "cat" {
            add(.obfuscated, "\(name) runs commands that \(stdin.program) writes")
            add(.highRisk, "hides the commands it runs: \(stdin.program) writes them, \(name) runs them (\(stdin.program) | \(name))")
        }
    }

    /// The text `printf` (or `echo -e`) writes for escape sequences: `\xHH`, `\NNN` and `\0NNN` (octal), `\n`, `\t`,
    /// `\\`. Other text is kept as it is.
    static func decodingEscapes(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        let chars = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            case 0x41...0x46: return c - 0x41 + 10
            default: return nil
            }
        }
        while i < chars.count {
            guard chars[i] == 0x5C, i + 1 < chars.count else { out.append(chars[i]); i += 1; continue }
            let next = chars[i + 1]
            if next == 0x78, i + 2 < chars.count, let high = hex(chars[i + 2]) {   // \xH or \xHH
                if i + 3 < chars.count, let low = hex(chars[i + 3]) { out.append(high << 4 | low); i += 4 } else { out.append(high); i += 3 }
            } else if next >= 0x30 && next <= 0x37 {   // \NNN, \0NNN
                var j = i + 1, value = 0, digits = 0
                if next == 0x30 { j += 1 }
                while j < chars.count, digits < 3, chars[j] >= 0x30, chars[j] <= 0x37 { value = value * 8 + Int(chars[j] - 0x30); j += 1; digits += 1 }
                out.append(UInt8(truncatingIfNeeded: value))
                i = j
            } else if next == 0x6E { out.append(0x0A); i += 2
            } else if next == 0x74 { out.append(0x09); i += 2
            } else if next == 0x5C { out.append(0x5C); i += 2
            } else { out.append(chars[i]); i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `eval "$(curl …)"`, `python3 -c "$(curl …)"`: code that is downloaded as it is run. (A function of
    /// its own, so the large dispatch functions that recurse through nested scripts keep small frames.)
    @inline(never)
    mutating func downloadedCode(_ words: [String], runBy runner: String) {
        for word in words {
            guard let tool = downloaderInSubstitution(word) else { continue }
            add(.highRisk, "downloads code and runs it (\(runner) \"$(\(tool) …)\")")
            add(.network, "downloads with \(tool)")
            return
        }
    }

    /// The downloader used inside `$(…)` or `<(…)` of a word, if any.
    func downloaderInSubstitution(_ text: String) -> String? {
        // Only a substitution runs a downloader: code that calls `fetch(…)` (JavaScript's) names none.
        guard text.containsASCII("$(") || text.containsASCII("`") || text.containsASCII("<(") else { return nil }
        // (`allCommands` holds the commands of every substitution, nested ones too.)
        for inner in ShellParser.parse(text).allCommands {
            if let first = inner.words.first {
                let name = ShellAnalyzer.basename(first.text).lowercased()
                if ShellAnalyzer.downloaders.contains(name) { return name }
            }
        }
        return nil
    }

    /// Python, Node, Perl, Ruby, PHP: inline code and modules.
    mutating func interpreter(_ command: ResolvedCommand, stdin: ResolvedCommand?, upstreamAll: [ResolvedCommand]) -> Bool {
        let name = command.program
        guard ShellAnalyzer.isInterpreterName(name) else { return false }
        let a = command.args
        // `bun run test`, `bun publish`, `bun install`: Bun's package manager, not a file it runs.
        if name == "bun", let first = a.positionals().first?.text, ShellAnalyzer.bunSubcommands.contains(first) { return false }
        if name == "pwsh" || name == "powershell" {
            powershellHost(command)
            return true
        }
        if let runner = migrationRunner(command) {
            family(runner.family, nil)
            migration(runner, command)
            return true
        }
        if name.hasPrefix("python"), let module = a.value("-m") {
            let rest = CommandArguments(Array(a.words.drop { $0.text != module }.dropFirst()))
            var inner = command
            inner.program = module
            inner.args = rest
            switch module {
            case "pytest", "unittest", "nose2", "tox", "nox": testRunner(module)
            // `python -m coverage run -m pytest`: the command it measures.
            case "coverage" where rest.texts.first == "run":
                let words = [ShellWord(text: "coverage")] + rest.words
                nested(argv: words, origin: "python -m coverage")
            case "pip", "pip3": family("pip", rest.texts.first)
            case "http.server", "SimpleHTTPServer": family("python -m", module)
            // `python -m twine upload`, `python -m build`: the module's own command.
            case "twine", "poetry", "flit", "hatch", "maturin": _ = build(inner)
            default:
                if !data(inner, stdin: nil) { family("python -m", module) }
            }
            return true
        }
        family(name, nil)
        var code: String?
        for flag in ["-c", "-e", "-E", "--eval", "-r", "-p", "--print"] {
            if let value = a.value(flag) {
                code = value
                break
            }
        }
        if name == "perl" || name == "ruby" {
            let flags = a.words.prefix { $0.text.hasPrefix("-") || a.words.firstIndex(of: $0).map { $0 > 0 && a.words[$0 - 1].text.hasPrefix("-") && a.words[$0 - 1].text.contains("e") } == true }
            if code == nil, let cluster = a.words.first(where: { $0.text.hasPrefix("-") && $0.text.contains("e") && !$0.text.hasPrefix("--") }),
               let position = a.words.firstIndex(of: cluster), position + 1 < a.words.count {
                code = a.words[position + 1].text
            }
            let inPlace = a.words.contains { $0.text.hasPrefix("-") && !$0.text.hasPrefix("--") && $0.text.contains("i") && $0.text.count <= 6 }
            if inPlace {
                let files = a.words.dropFirst(flags.count).map(\.text)
                for target in files { file(target, "write", by: "\(name) -i") }
                add(.write, "edits \(files.map(path).joined(separator: ", ")) in place (\(name) -i)")
            }
        }
        if let code {
            downloadedCode([code], runBy: name)
            inlineCode(code, language: name)
            return true
        }
        let allPositionals = a.positionals(valued: ["-W", "-X", "--require", "-r", "-I"])
        if (name == "deno" || name == "bun" || name == "node") && (allPositionals.first?.text == "test" || a.has("--test")) {
            testRunner("\(name) test")
            return true
        }
        if name == "php", allPositionals.first?.text.hasSuffix("artisan") == true {
            return build(command)
        }
        let scriptFromStdin = allPositionals.first?.text == "-"
        let positionals = allPositionals.filter { $0.text != "-" }
        if let script = positionals.first, !scriptFromStdin {
            if script.text.hasPrefix("<(") {
                if let tool = downloaderInSubstitution(script.text) {
                    add(.highRisk, "downloads a script and runs it (\(name) <(\(tool) …))")
                    add(.network, "downloads with \(tool)")
                }
                return true
            }
            let target = path(script.text)
            if downloaded.contains(target) { add(.highRisk, "runs a script it downloaded (\(name) \(script.text))") }
            result.target(ActionTarget(.path, target, operation: "exec"))
            if ShellAnalyzer.isTestScript(script.text) { testRunner(ShellAnalyzer.basename(script.text)) }
            // `python manage.py test` (Django's test runner).
            if ShellAnalyzer.basename(script.text) == "manage.py", positionals.dropFirst().first?.text == "test" {
                testRunner("manage.py test")
            }
            return true
        }
        if let text = command.stdinText {
            inlineCode(text, language: name)
            return true
        }
        if let stdin { pipedIntoInterpreter(name, stdin: stdin, upstreamAll: upstreamAll) }
        return true
    }

    /// Patterns in inline code: reverse shells, encoded payloads, deletions, and shell
    /// commands passed to os.system / subprocess / exec.
    mutating func inlineCode(_ code: String, language: String) {
        let lower = code.lowercased()
        if let host = ShellAnalyzer.metadataHosts.first(where: { $0.contains(".") && lower.contains($0) }) {
            add(.sensitiveRead, "\(language) code reads the cloud metadata endpoint \(host)")
        }
        if (lower.contains("socket") && (lower.contains("subprocess") || lower.contains("pty.spawn") || lower.contains("/bin/sh")
            || lower.contains("exec") || lower.contains("dup2"))) || lower.contains("fsockopen") || lower.contains("tcpsocket") {
            add(.highRisk, "\(language) code opens a socket and hands it a shell (reverse shell pattern)")
            add(.network, "\(language) code opens a network socket")
        }
        if lower.contains("b64decode") || lower.contains("base64.decode") || lower.contains("atob(")
            || lower.contains("buffer.from(") && lower.contains("base64") || lower.contains("decode_base64")
            || lower.contains("unpack('m") {
            if lower.contains("exec") || lower.contains("eval") || lower.contains("system") || lower.contains("spawn") {
                add(.highRisk, "\(language) code decodes a payload and runs it")
                add(.obfuscated, "\(language) code runs an encoded payload")
            }
        }
        // Deletions: the calls, and the first string literal each is given (what it deletes, when written out).
        let deleters = ["shutil.rmtree", "os.remove", "os.unlink", "os.rmdir", "rmtree(", "unlink(", "rmsync(", "unlinksync(",
                        "rmdirsync(", "fs.rm(", "promises.rm(", "fileutils.rm", "file.delete(", "dir.rmdir(", "remove_tree",
                        "pathlib.path.unlink", ".unlink("] + (language == "perl" ? ["unlink ", "unlink\"", "unlink'"] : [])
        var deletes = false
        for marker in deleters {
            var rest = Substring(lower), original = Substring(code)
            while let range = rest.range(ofASCII: marker) {
                deletes = true
                original = original.dropFirst(rest.distance(from: rest.startIndex, to: range.lowerBound) + marker.count)
                rest = rest[range.upperBound...]
                // The rest of a name the marker begins (`FileUtils.rm_rf`, `FileUtils.rm_r`), then the call's opening.
                var window = original.prefix(200).drop { $0.isLetter || $0 == "_" || $0 == "!" }
                    .drop { $0 == "(" || $0 == " " || $0 == "[" }
                // Through the calls that only expand the path (`shutil.rmtree(os.path.expanduser('~/.cache'))`).
                while let wrapper = ShellAnalyzer.pathWrappers.first(where: { window.lowercased().hasPrefix($0) }) {
                    window = window.dropFirst(wrapper.count).drop { $0 == " " }
                }
                if let quote = window.first, quote == "\"" || quote == "'" {
                    let body = window.dropFirst()
                    if let end = body.firstIndex(of: quote), body.startIndex < end {
                        let literal = String(body[..<end])
                        if !literal.contains("$") && !literal.contains("{") { file(literal, "delete", by: "\(language) code") }
                    }
                }
            }
        }
        if deletes { add(.delete, "\(language) code deletes files") }
        if ShellAnalyzer.dumpsEnvironment(lower) { add(.sensitiveRead, "\(language) code dumps the environment, which holds secrets") }
        var reads: [String] = [], writes: [String] = []
        for found in InlineCodeFiles.scan(code) {
            switch found.access {
            case .write:
                file(found.path, "write", by: "\(language) code")
                writes.append(path(found.path))
            case .read:
                file(found.path, "read", by: "\(language) code")
                reads.append(path(found.path))
            case .copied:
                file(found.path, "copy", by: "\(language) code")
                reads.append(path(found.path))
            case .named:
                // A path the code names without a call we know (`shutil.copy`, `os.path.exists`): read when secret.
                if remoteHost != nil || context.policy.sensitivePaths.match(path(found.path), home: context.home) != nil {
                    file(found.path, "read", by: "\(language) code")
                }
            }
        }
        if !writes.isEmpty { add(.write, "\(language) code writes \(writes.joined(separator: ", "))") }
        if !reads.isEmpty { add(.read, "\(language) code reads \(reads.joined(separator: ", "))") }
        for literal in ShellAnalyzer.shellStringsInCode(code, language: language) {
            nested(literal, origin: "\(language) os.system/subprocess")
        }
    }

    /// Calls of one-line programs that take one path and only expand or wrap it, in lower case (not the joins, whose first
    /// literal is only where the path starts).
    static let pathWrappers = InlineCodeFiles.wrappers.filter { !$0.hasSuffix("join(") }

    /// Whether lowercased one-line code prints or copies the whole environment: `print(os.environ)`,
    /// `dict(os.environ)`, `os.environ.items()`, Node's `process.env` used whole, Ruby's `ENV.to_h`, Perl's `%ENV`.
    /// Reading one variable (`os.environ['HOME']`, `process.env.PATH`) is not a dump.
    static func dumpsEnvironment(_ lower: String) -> Bool {
        // Handing the environment on (`env=os.environ.copy()`, `{...process.env, X: 1}`) shows nothing: a dump prints or
        // writes it somewhere. `node -p process.env` prints the expression that is the whole code.
        let whole = lower.trimmingSpaces
        if ["process.env", "os.environ", "env", "env.to_h", "p env", "pp env", "puts env", "getenv()"].contains(whole) { return true }
        // A lone expression (`node -p 'Object.entries(process.env)'`, `print_r(getenv());`) prints what it is given.
        let expression = !whole.dropLast(whole.hasSuffix(";") ? 1 : 0).contains(";") && !whole.contains("=")
        let sinks = ["print", "console.", "json.dump", "puts", "pp ", "p env", "write", "stdout", "stringify", "inspect", "send(", "post(",
                     "urlopen", "fetch(", "request(", "var_dump", "var_export"]
        guard expression || sinks.contains(where: { lower.containsASCII($0) }) else { return false }
        for marker in ["os.environ", "process.env", "env.to_h", "env.to_a", "env.each", "env.inspect", "%env", "getenv()", "$_env",
                       "p env", "pp env", "puts env"] {
            var rest = Substring(lower)
            while let range = rest.range(ofASCII: marker) {
                let before = rest[..<range.lowerBound].last
                let after = rest[range.upperBound...].drop { $0 == " " }
                // Handed to a child process (`env=os.environ`, `{env: process.env}`, `{...process.env}`): not shown.
                let lead = rest[..<range.lowerBound].filter { $0 != " " }
                rest = rest[range.upperBound...]
                if lead.hasSuffix("env=") || lead.hasSuffix("env:") || lead.hasSuffix("...") || lead.hasSuffix("environ=")
                    || lead.hasSuffix("**") { continue }
                // The names only, or how many (`Object.keys(process.env).length`, `sorted(os.environ)`, `len(os.environ)`).
                if lead.hasSuffix("keys(") || lead.hasSuffix("sorted(") || lead.hasSuffix("len(") || after.hasPrefix(".keys()")
                    || after.hasPrefix(".length") { continue }
                // Part of a longer name (`my_os.environ`, `xenv.each`): not it.
                if let before, before.isLetter || before.isNumber || before == "_" || (before == "." && marker != "os.environ") { continue }
                if ["p env", "pp env", "puts env", "getenv()", "$_env"].contains(marker) { return true }
                if marker.hasPrefix("env.") || marker == "%env" { return true }
                // `os.environ[…]`, `.get(`, `process.env.X`, `process.env['X']`: one variable.
                if after.hasPrefix("[") || after.hasPrefix(".get(") || after.hasPrefix(".setdefault(") || after.hasPrefix(".pop(") { continue }
                if marker == "process.env", after.hasPrefix("."), !after.hasPrefix(".tostring") { continue }
                if after.hasPrefix("=") && !after.hasPrefix("==") { continue }
                return true
            }
        }
        return false
    }

    /// String literals passed to os.system(…), subprocess.*(…, shell=True), exec(…), system(…), and argument lists
    /// (`subprocess.run(['kubectl', 'delete', 'ns', 'x'])`, `spawnSync('rm', ['-rf', '/srv'])`) as command lines.
    /// Calls named inside a string or a comment (`print('… subprocess.run(["rm", …]) …')`, `// execSync('rm -rf /')`)
    /// are text, not calls.
    static func shellStringsInCode(_ code: String, language: String = "") -> [String] {
        var out: [String] = []
        let isCode = codePositions(code, language: language)
        // Each language's calls that run commands (Python's own `exec(…)` runs Python, not a shell); JavaScript's only
        // where the code uses `child_process` (a local function may be called `exec`).
        let lower = language.lowercased()
        let python = ["os.system(", "subprocess.run(", "subprocess.call(", "subprocess.check_call(", "subprocess.check_output(",
                      "subprocess.Popen(", "subprocess.getoutput(", "os.popen(", "os.execvp(", "os.execv("]
        let javascript = ["execSync(", "exec(", "spawnSync(", "spawn(", "execFileSync(", "execFile("]
        let others = ["system(", "exec(", "shell_exec(", "passthru(", "popen(", "qx("]
        let markers: [String]
        if lower.hasPrefix("python") || lower.hasPrefix("pypy") {
            markers = python
        } else if ["node", "nodejs", "deno", "bun", "tsx", "ts-node"].contains(lower) {
            markers = code.containsASCII("child_process") || code.containsASCII("Deno.Command") || code.containsASCII("Bun.spawn")
                ? javascript : []
        } else if ["ruby", "perl", "php"].contains(lower) {
            markers = others
        } else {
            markers = python + javascript + others
        }
        // The names the code's imports give those calls (`import subprocess as sp`, `from os import system as s`,
        // `const { execSync: x } = require('child_process')`), called as themselves, not as part of a longer name.
        let aliases = markers.isEmpty ? [] : InlineCodeImports.aliases(in: code, language: language)
        // Any other name of subprocess's calls (`__import__('subprocess').run([...])`): only with an argument list, which
        // names the program, and only in code that names subprocess.
        let listOnly = code.containsASCII("subprocess") && !markers.isEmpty
            ? ["run([", "call([", "check_call([", "check_output([", "Popen([", "getoutput(["] : []
        /// The string literals of a `[…]` list at the start of `text`, if it is one.
        func list(_ text: Substring) -> [String]? {
            guard text.first == "[", let close = text.firstIndex(of: "]") else { return nil }
            var items: [String] = []
            var rest = text[text.index(after: text.startIndex)..<close]
            while let quote = rest.first(where: { $0 == "\"" || $0 == "'" }) {
                let open = rest.firstIndex(of: quote)!
                let body = rest[rest.index(after: open)...]
                guard let end = body.firstIndex(of: quote) else { return nil }
                items.append(String(body[..<end]))
                rest = body[body.index(after: end)...]
            }
            return items.isEmpty ? nil : items
        }
        /// Where `marker` is called in the code (not named in a string or a comment): the code up to the end of the
        /// marker, for each place.
        /// With `bounded`, only where the marker is not the end of a longer name (`r(` is not `print(`).
        func calls(_ marker: String, bounded: Bool = false) -> [String.Index] {
            var found: [String.Index] = []
            var rest = Substring(code)
            while let range = rest.range(ofASCII: marker) {
                let offset = code.utf8.distance(from: code.startIndex, to: range.lowerBound)
                let before = code[..<range.lowerBound].last
                let whole = !bounded || !(before.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "$" } ?? false)
                if offset < isCode.count, isCode[offset], whole { found.append(range.upperBound) }
                rest = rest[range.upperBound...]
            }
            return found
        }
        var read = Set<String.Index>()
        let named = markers.map { (marker: $0, bounded: false, wholeVector: $0.hasPrefix("os.exec")) }
            + aliases.map { (marker: $0.marker, bounded: true, wholeVector: $0.wholeVector) }
        for (marker, bounded, wholeVector) in named {
            for end in calls(marker, bounded: bounded) where read.insert(end).inserted {
                let after = code[end...].drop { $0 == " " }
                if let quote = after.first, quote == "\"" || quote == "'" {
                    let body = after.dropFirst()
                    if let end = body.firstIndex(of: quote) {
                        let literal = String(body[..<end])
                        // `spawnSync('rm', ['-rf', '/srv'])`, `os.execvp('rm', ['rm', '-rf', '/srv'])`: a program, then its list.
                        let tail = body[body.index(after: end)...].drop { $0 == " " || $0 == "," }
                        if let items = list(tail) {
                            let argv = wholeVector ? items : [literal] + items
                            out.append(ShellQuoting.join(argv))
                        } else if literal.contains(" ") || literal.contains("/") {
                            out.append(literal)
                        }
                    }
                } else if let items = list(after) {
                    out.append(ShellQuoting.join(items))
                }
            }
        }
        // Perl, Ruby and PHP run a command written between backticks, or in `qx(…)`, `qx{…}`, `%x(…)`.
        if ["ruby", "perl", "php"].contains(lower) || markers.count > 12 {
            let bytes = Array(code.utf8)
            var index = 0
            while index < bytes.count {
                defer { index += 1 }
                guard index < isCode.count, isCode[index] else { continue }
                var open = -1, close: UInt8 = 0
                if bytes[index] == UInt8(ascii: "`") {
                    open = index + 1; close = UInt8(ascii: "`")
                } else if index + 2 < bytes.count, bytes[index] == UInt8(ascii: "q") && bytes[index + 1] == UInt8(ascii: "x")
                            || bytes[index] == UInt8(ascii: "%") && bytes[index + 1] == UInt8(ascii: "x"),
                          index == 0 || !(bytes[index - 1] == UInt8(ascii: "_") || (bytes[index - 1] | 0x20) >= UInt8(ascii: "a") && (bytes[index - 1] | 0x20) <= UInt8(ascii: "z")),
                          let pair = [UInt8(ascii: "("): UInt8(ascii: ")"), UInt8(ascii: "{"): UInt8(ascii: "}"),
                                      UInt8(ascii: "["): UInt8(ascii: "]")][bytes[index + 2]] {
                    open = index + 3; close = pair
                }
                guard open >= 0, let end = bytes[open...].firstIndex(of: close), end > open else { continue }
                out.append(String(decoding: bytes[open..<end], as: UTF8.self))
                index = end
            }
        }
        for marker in listOnly {
            // (A call read above, `subprocess.run([`, is not read twice.)
            for end in calls(marker) where !read.contains(code.index(before: end)) {
                if let items = list(code[code.index(before: end)...]) { out.append(ShellQuoting.join(items)) }
            }
        }
        return out
    }

    /// For each UTF-8 byte of one-line `code`, whether it is code: not inside a string literal (`'…'`, `"…"`, a
    /// template literal, Python's triple quotes) nor a comment (`#` in Python, Ruby, Perl and PHP; `//` in JavaScript
    /// and PHP).
    static func codePositions(_ code: String, language: String) -> [Bool] {
        let bytes = Array(code.utf8)
        var mask = [Bool](repeating: true, count: bytes.count)
        let lower = language.lowercased()
        let hashComments = lower.hasPrefix("python") || ["ruby", "perl", "php", "pypy", "pypy3"].contains(lower)
        let slashComments = ["node", "nodejs", "deno", "bun", "php", "tsx", "ts-node"].contains(lower)
        var index = 0
        var quote: [UInt8]? = nil
        while index < bytes.count {
            let byte = bytes[index]
            if let delimiter = quote {
                mask[index] = false
                if byte == 0x5C { if index + 1 < bytes.count { mask[index + 1] = false }; index += 2; continue }
                if bytes[index...].starts(with: delimiter) {
                    for k in index..<index + delimiter.count { mask[k] = false }
                    index += delimiter.count
                    quote = nil
                    continue
                }
                index += 1
                continue
            }
            if byte == 0x22 || byte == 0x27 || byte == 0x60 && slashComments {
                let triple = [byte, byte, byte]
                quote = bytes[index...].starts(with: triple) ? triple : [byte]
                for k in index..<min(bytes.count, index + quote!.count) { mask[k] = false }
                index += quote!.count
                continue
            }
            if hashComments && byte == 0x23 || slashComments && byte == 0x2F && index + 1 < bytes.count && bytes[index + 1] == 0x2F {
                while index < bytes.count && bytes[index] != 0x0A { mask[index] = false; index += 1 }
                continue
            }
            // `/* … */` in JavaScript and PHP.
            if slashComments && byte == 0x2F && index + 1 < bytes.count && bytes[index + 1] == 0x2A {
                let start = index
                index += 2
                while index + 1 < bytes.count && !(bytes[index] == 0x2A && bytes[index + 1] == 0x2F) { index += 1 }
                index = min(bytes.count, index + 2)
                for k in start..<index { mask[k] = false }
                continue
            }
            index += 1
        }
        return mask
    }

    /// `pwsh -Command …`, `powershell -EncodedCommand …`.
    mutating func powershellHost(_ command: ResolvedCommand) {
        let a = command.args
        family(command.program, nil)
        for (index, word) in a.words.enumerated() {
            let flag = word.text.lowercased()
            if ["-encodedcommand", "-enc", "-e", "-ec", "-en", "-encoded"].contains(flag) {
                add(.obfuscated, "runs an encoded PowerShell command (\(word.text))")
                add(.highRisk, "decodes and runs a command (PowerShell \(word.text))")
                if index + 1 < a.words.count, let decoded = ShellAnalyzer.decodeUTF16Base64(a.words[index + 1].text) {
                    var inner = context
                    inner.nesting += 1
                    merge(PowerShellAnalyzer.classify(script: decoded, context: inner))
                }
                return
            }
            if ["-command", "-c"].contains(flag), index + 1 < a.words.count {
                let script = a.words[(index + 1)...].map(\.text).joined(separator: " ")
                var inner = context
                inner.nesting += 1
                merge(PowerShellAnalyzer.classify(script: script, context: inner))
                return
            }
        }
    }

    static func decodeUTF16Base64(_ text: String) -> String? {
        guard let bytes = Base64.decode(text), bytes.count % 2 == 0 else { return nil }
        var units: [UInt16] = []
        var i = 0
        while i + 1 < bytes.count {
            units.append(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
            i += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    // MARK: Remote shells and network clients

    /// Text fed to a command run elsewhere (`ssh host CMD <<EOF`, `kubectl exec -i pod -- CMD <<EOF`): a shell's script,
    /// or another program's input (`psql` reads SQL), analysed as that command with the text as its here-document.
    mutating func remoteInput(_ text: String, command: String, origin: String, remote: String) {
        let words = command.split(separator: " ").map(String.init)
        if ShellAnalyzer.readsScriptFromStdin(words) {
            nested(text, origin: "\(origin) here-document", remote: remote)
            return
        }
        var delimiter = "HARNESS_AUDIT_INPUT"
        while text.containsASCII(delimiter) { delimiter += "_" }
        nested("\(command) <<'\(delimiter)'\n\(text)\n\(delimiter)", origin: "\(origin) here-document", remote: remote)
    }

    /// Whether a remote command reads its script from standard input: none (the login shell does), or a shell
    /// without `-c` (`bash`, `sh -s`, `bash -l`).
    static func readsScriptFromStdin(_ words: [String]) -> Bool {
        guard let first = words.first else { return true }
        guard shells.contains(basename(first)) else { return false }
        return !words.dropFirst().contains { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("c") } && !words.dropFirst().contains { !$0.hasPrefix("-") }
    }

    mutating func network(_ command: ResolvedCommand) -> Bool {
        let p = command.program.lowercased()
        let a = command.args
        switch p {
        case "ssh", "mosh", "autossh":
            let positionals = a.positionals(valued: ["-p", "-i", "-o", "-l", "-J", "-F", "-L", "-R", "-D", "-W", "-b",
                                                     "-c", "-E", "-m", "-O", "-Q", "-S", "-w", "-B", "-e", "-I"])
            guard let hostWord = positionals.first else {
                family(p, nil)
                return true
            }
            let host = ShellAnalyzer.hostPart(hostWord.text)
            result.target(ActionTarget(.host, host, operation: "exec"))
            environmentName(host, kind: .host, source: "ssh host")
            family(p, nil)
            add(.network, "connects to \(host) with \(p)")
            if a.has("-R") {
                // A remote forward opens a way into this machine from the other end.
                add(.highRisk, "opens a tunnel from \(host) into this machine (\(p) -R \(a.value("-R") ?? ""))")
            }
            if a.has("-L", "-R", "-D") && a.hasShort("N") {
                add(.remoteExec, "opens a tunnel to \(host) (\(p) -L/-R/-D)")
                return true
            }
            add(.remoteExec, "runs commands on \(host) with \(p)")
            let remoteCommand = positionals.dropFirst().map(\.text).joined(separator: " ")
            if !remoteCommand.isEmpty { nested(remoteCommand, origin: "\(p) \(host)", remote: host) }
            // `ssh prod-web <<'EOF' … EOF`, `ssh host 'bash -s' <<EOF`, `ssh db psql <<EOF`: the here-document is the remote
            // command's input (the login shell's script when there is no command).
            if let stdin = command.stdinText { remoteInput(stdin, command: remoteCommand, origin: "\(p) \(host)", remote: host) }
            return true
        case "scp", "sftp", "rsync":
            family(p, nil)
            let positionals = a.positionals(valued: ["-P", "-i", "-o", "-F", "-e", "--rsh", "-J", "-c", "-l", "-S",
                                                     "--exclude", "--include", "--filter", "-f", "--port", "-B"])
            if a.isDryRun || (p == "rsync" && a.hasShort("n")) {
                result.note("\(p) dry run")
                return true
            }
            for (offset, word) in positionals.enumerated() {
                let isLast = offset == positionals.count - 1 && positionals.count > 1
                if let colon = word.text.firstIndex(of: ":"), !word.text.hasPrefix("/"), !PathNormalizer.isWindows(word.text) {
                    let host = ShellAnalyzer.hostPart(String(word.text[..<colon]))
                    result.target(ActionTarget(.host, host, operation: isLast ? "write" : "read"))
                    environmentName(host, kind: .host, source: "\(p) host")
                    add(.network, "copies \(isLast ? "to" : "from") \(host) with \(p)")
                    // `rsync -av --delete dist/ prod-web:/var/www/`: files at the destination not in the source go.
                    if isLast, p == "rsync", a.has("--delete", "--delete-after", "--delete-before", "--delete-during", "--delete-excluded") {
                        add(.delete, "deletes files on \(host) missing from the source (rsync --delete)")
                    }
                } else if isLast {
                    file(word.text, "write", by: p)
                    add(.write, "writes \(path(word.text)) with \(p)")
                    if p == "rsync" && a.has("--delete", "--delete-after", "--delete-before", "--delete-during",
                                             "--delete-excluded", "--remove-source-files") {
                        add(.delete, "deletes files at the destination (rsync --delete)")
                    }
                } else {
                    file(word.text, "copy", by: p)
                }
            }
            return true
        case "nc", "ncat", "netcat", "socat", "telnet":
            family(p, nil)
            let texts = a.texts
            if a.has("-e", "-c", "--exec", "--sh-exec", "--lua-exec") || texts.contains(where: { $0.lowercased().hasPrefix("exec:") || $0.lowercased().hasPrefix("system:") }) {
                add(.highRisk, "hands a shell to a network connection (\(p) -e / exec:, reverse shell pattern)")
            }
            if let host = a.positionals(valued: ["-p", "-s", "-w", "-i", "-q", "-x", "-X", "-e", "-c"]).first?.text {
                result.target(ActionTarget(.host, host))
            }
            add(.network, "opens a raw connection with \(p)")
            return true
        default:
            break
        }
        guard ShellAnalyzer.downloaders.contains(p) else { return false }
        family(p, nil)
        var valued: Set<String> = ["-o", "--output", "-O", "-H", "--header", "-d", "--data", "--data-binary", "--data-raw",
                                   "--data-urlencode", "-F", "--form", "-X", "--request", "-u", "--user", "-A", "--user-agent",
                                   "-e", "--referer", "-b", "--cookie", "-c", "--cookie-jar", "-T", "--upload-file",
                                   "--connect-timeout", "-m", "--max-time", "--retry", "-x", "--proxy", "-w", "--write-out",
                                   "-P", "--directory-prefix", "--output-document", "-K", "--config", "--cacert", "--cert",
                                   "--key", "-E", "-r", "--range", "--resolve", "--limit-rate", "-C", "--continue-at",
                                   "--header-file", "-Uri", "-OutFile", "-Method", "-Body", "-Headers", "--post-file", "--body-file",
                                   "--post-data", "--body-data", "--method", "-InFile", "--password", "--http-password",
                                   "--ftp-password", "--proxy-password", "--http-user", "--ftp-user", "--proxy-user", "--oauth2-bearer",
                                   "--pass", "-Credential"]
        if p == "curl" { valued.remove("-O") }   // (curl's `-O` takes no value: the URL follows; wget's names the file.)
        let urls = a.positionals(valued: valued).map(\.text) + a.values("-Uri", "--url")
        for url in urls {
            let host = ShellAnalyzer.urlHost(url)
            result.target(ActionTarget(.url, url))
            if let host {
                result.target(ActionTarget(.host, host))
                if ShellAnalyzer.metadataHosts.contains(host) {
                    add(.sensitiveRead, "reads the cloud metadata endpoint \(host), which serves credentials")
                }
            }
        }
        add(.network, "fetches \(urls.first.map { ShellAnalyzer.urlHost($0) ?? $0 } ?? "a URL") with \(p)")
        // Bundled short options end with the output flag: `curl -sSLo FILE URL`, `wget -qO FILE URL`.
        let outputFlag: Character = p == "wget" ? "O" : "o"
        let bundled = a.words.firstIndex { $0.text.hasPrefix("-") && !$0.text.hasPrefix("--") && $0.text.count > 2
            && $0.text.last == outputFlag && $0.text.dropFirst().allSatisfy(\.isLetter) }
            .flatMap { $0 + 1 < a.words.count ? a.words[$0 + 1].text : nil }
        if let output = a.value("-o", "--output", "--output-document", "-OutFile") ?? (p == "wget" ? a.value("-O") : nil) ?? bundled,
           output != "-" {
            file(output, "write", by: p)
            add(.write, "downloads to \(path(output))")
            downloaded.insert(path(output))
        } else if p == "curl", a.has("-O", "--remote-name")
                    // (bundled: `curl -fsSLO URL`, `-LO`; an `O` after an option that takes a value is that value: `-XOPTIONS`)
                    || a.words.contains(where: { word in
                        guard word.text.hasPrefix("-"), !word.text.hasPrefix("--"), word.text.count > 2,
                              word.text.dropFirst().allSatisfy(\.isLetter) else { return false }
                        for flag in word.text.dropFirst() {
                            if flag == "O" { return true }
                            if "XHduAebcTmxwPKErCo".contains(flag) { return false }
                        }
                        return false
                    }),
                  let url = urls.first,
                  let name = url.split(separator: "/").last.map(String.init), !name.isEmpty {
            downloaded.insert(path(String(name.split(separator: "?").first ?? Substring(name))))
            add(.write, "downloads \(name) to the current directory")
        } else if p == "wget", !a.has("-O", "-qO-", "-qO"), a.value("-O") == nil, let url = urls.first,
                  let name = url.split(separator: "/").last.map(String.init), !name.isEmpty, !a.texts.contains("-qO-") {
            downloaded.insert(path(name))
        }
        // A file sent whole: `curl -T FILE`, `wget --post-file=FILE`, `Invoke-WebRequest -InFile FILE`.
        for file in a.values("-T", "--upload-file", "--post-file", "--body-file", "-InFile")
        where !file.isEmpty && file != "-" && !file.hasPrefix("@") && !file.hasPrefix("-") {
            self.file(file, "upload", by: "\(p) upload")
            add(.read, "uploads \(path(file)) with \(p)")
        }
        for data in a.values("-d", "--data", "--data-binary", "--data-raw", "-T", "--upload-file") + a.values("-F", "--form") {
            if let at = data.firstIndex(of: "@") {
                let file = String(data[data.index(after: at)...])
                if !file.isEmpty && file != "-" {
                    self.file(file, "upload", by: "\(p) upload")
                    add(.read, "uploads \(path(file)) with \(p)")
                }
            }
        }
        let method = a.value("-X", "--request", "-Method", "--method")?.uppercased()
        if method == "DELETE" {
            add(.delete, "sends an HTTP DELETE with \(p)")
            // To a production service (`https://api.prod.acme.com/…`): a delete there.
            for url in urls {
                if let host = ShellAnalyzer.urlHost(url), let token = context.policy.production.match(host) {
                    result.productionEvidence("HTTP DELETE to \(host) (\(token))")
                }
            }
        }
        // A merge through a forge's API: GitHub `PUT …/pulls/N/merge`, GitLab `PUT …/merge_requests/N/merge`.
        if method == "PUT" || method == "POST", let url = urls.first(where: ShellAnalyzer.isMergeEndpoint) {
            pushes += 1
            add(.merge, "merges a pull request through the API (\(p) -X \(method ?? "PUT") \(url))")
            add(.vcs, "merges a pull request through the API")
            result.target(ActionTarget(.resource, "pull request", operation: "merge"))
        }
        return true
    }

    /// A URL of a forge's merge endpoint: `/pulls/N/merge` (GitHub), `/merge_requests/N/merge` (GitLab).
    static func isMergeEndpoint(_ url: String) -> Bool {
        let path = url.split(separator: "?").first.map(String.init) ?? url
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[parts.count - 1] == "merge", parts[parts.count - 2].allSatisfy(\.isNumber) else { return false }
        return ["pulls", "merge_requests"].contains(parts[parts.count - 3])
    }

    static let metadataHosts: Set<String> = ["169.254.169.254", "metadata.google.internal", "169.254.170.2",
                                            "fd00:ec2::254", "[fd00:ec2::254]", "100.100.100.200", "metadata.azure.com",
                                            "metadata", "0xa9fea9fe", "2852039166", "0251.0376.0251.0376", "169.254.169.254.",
                                            "instance-data", "instance-data.ec2.internal"]
    static let networkClients: Set<String> = ["nc", "ncat", "netcat", "telnet", "socat", "openssl", "cryptcat", "pwncat"]

    static func hostPart(_ text: String) -> String {
        var host = text
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        return host
    }

    static func urlHost(_ url: String) -> String? {
        var rest = Substring(url)
        if let scheme = rest.range(ofASCII: "://") {
            rest = rest[scheme.upperBound...]
        } else if !(rest.first?.isLetter == true || rest.first?.isNumber == true) || !rest.contains(".") && !rest.hasPrefix("localhost") {
            return nil
        }
        let hostPort = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var host = String(hostPort)
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        // A variable the path starts with: `http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`.
        if let dollar = host.firstIndex(of: "$") { host = String(host[..<dollar]) }
        if host.hasPrefix("[") { return host.prefix { $0 != "]" } + "]" }
        if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
        return host.isEmpty ? nil : host.lowercased()
    }

    /// The database a URL's path names (`postgres://app@db.internal/shop_prod?sslmode=require` → `shop_prod`), or nil.
    static func urlDatabase(_ url: String) -> String? {
        guard let scheme = url.range(ofASCII: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let name = rest[rest.index(after: slash)...].prefix { $0 != "?" && $0 != "/" && $0 != "#" }
        return name.isEmpty ? nil : String(name)
    }
}

/// Shell scripts written and run (`ScriptFiles`).
extension ShellAnalyzer {
    /// Runs a script the session wrote earlier, or the line itself (`bash deploy.sh`, `./deploy.sh`,
    /// `source env.sh`): its commands are what ran, classified as if typed here.
    mutating func runWrittenScript(_ target: String, as shown: String) {
        guard let content = context.scripts[target], !scriptsRunning.contains(target) else { return }
        result.target(ActionTarget(.path, target, operation: "exec"))
        result.note("runs \(target), a script written earlier in the session: its commands are classified")
        if content.hasSuffix(ScriptFiles.cutMarker) {
            add(.obfuscated, "runs \(target), a script longer than 1 MiB: only its first 1 MiB was analysed")
        }
        scriptsRunning.insert(target)
        nested(content, origin: "\(shown), a script written earlier")
        scriptsRunning.remove(target)
    }

    /// What a redirection writes into a file, when the line says it: a here-document through `cat`
    /// (`cat > x.sh <<'EOF'`), or `echo`'s and `printf`'s text.
    mutating func scriptWritten(by command: ShellCommand, to target: String, appending: Bool) {
        // Only text the line spells out can make a script; another program's output only makes a known one unknown.
        let program = command.words.first.map { ShellAnalyzer.basename($0.text) }
        guard context.scripts[target] != nil || program == "cat" || program == "echo" || program == "printf" else { return }
        scriptWritten(content: ShellAnalyzer.spelledOutText(command), to: target, appending: appending)
    }

    /// The text a command prints that the line spells out: a here-document through `cat` (`cat <<'EOF'`), or `echo`'s
    /// and `printf`'s text; nil for anything else.
    static func spelledOutText(_ command: ShellCommand) -> String? {
        let words = command.words.map(\.text)
        return words.first.map(ShellAnalyzer.basename) == "cat" && (words.count == 1 || words == ["cat", "-"])
            ? command.stdinText : ShellAnalyzer.printedText(words)
    }

    /// What `echo` or `printf` prints (its words, the program's first), nil for another program.
    static func printedText(_ words: [String]) -> String? {
        switch words.first.map(ShellAnalyzer.basename) {
        case "echo":
            let flags = words.dropFirst().prefix { $0.count > 1 && $0.hasPrefix("-") && $0.dropFirst().allSatisfy { "neE".contains($0) } }
            let text = words.dropFirst(1 + flags.count).joined(separator: " ")
            let decoded = flags.contains { $0.contains("e") } ? ShellAnalyzer.decodingEscapes(text) : text
            return flags.contains { $0.contains("n") } ? decoded : decoded + "\n"
        case "printf":
            return words.count > 1 ? ShellAnalyzer.decodingEscapes(words[1]) : nil
        default:
            return nil
        }
    }

    /// Records what the line wrote into a file that is, or becomes, a shell script; content not known
    /// makes a known script unknown.
    mutating func scriptWritten(content: String?, to target: String, appending: Bool) {
        let known = context.scripts[target] != nil
        let kind: ScriptChange.Kind
        if let content {
            guard known || ScriptFiles.isTracked(path: target, content: content) else { return }
            kind = appending ? .append(content) : .whole(content)
        } else {
            guard known else { return }
            kind = .unknown
        }
        let change = ScriptChange(path: target, kind: kind)
        result.scriptChanges.append(change)
        ScriptFiles.apply([change], to: &context.scripts)
    }
}
