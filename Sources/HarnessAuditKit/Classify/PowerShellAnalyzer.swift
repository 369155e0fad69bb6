/// Basic PowerShell (and `cmd.exe`) classification: cmdlets and their aliases for
/// deleting, writing and reading files, downloads piped into `Invoke-Expression`,
/// encoded commands, and native commands (kubectl, git …) through the shell rules.
public enum PowerShellAnalyzer {
    static let deleteCmdlets: Set<String> = ["remove-item", "ri", "rm", "rmdir", "del", "erase", "rd", "clear-content", "clc"]
    static let writeCmdlets: Set<String> = ["set-content", "sc", "add-content", "ac", "out-file", "new-item", "ni",
                                            "copy-item", "copy", "cp", "cpi", "move-item", "move", "mv", "mi",
                                            "rename-item", "ren", "rni", "set-itemproperty", "sp", "export-csv",
                                            "expand-archive", "tee-object", "tee"]
    static let readCmdlets: Set<String> = ["get-content", "gc", "cat", "type", "select-string", "sls", "import-csv",
                                           "get-itemproperty", "gp", "import-clixml"]
    static let invokeCmdlets: Set<String> = ["invoke-expression", "iex"]
    static let downloadCmdlets: Set<String> = ["invoke-webrequest", "iwr", "invoke-restmethod", "irm", "wget", "curl",
                                               "start-bitstransfer", "new-object"]

    /// A drive's root, the Windows directory or its `System32`, a user's home or the users' directory.
    static func isCriticalDirectory(_ path: String, home: String?) -> Bool {
        let lower = path.lowercased().replacingAll("\\", with: "/")
        let trimmed = lower.hasSuffix("/") && lower.count > 3 ? String(lower.dropLast()) : lower
        if trimmed.count <= 3 && trimmed.count >= 2 && trimmed.dropFirst().first == ":" { return true }   // `C:`, `C:/`
        if ["~", "/", "c:/windows", "c:/windows/system32", "c:/users", "c:/program files"].contains(trimmed) { return true }
        if let home, trimmed == home.lowercased() { return true }
        return trimmed.hasPrefix("c:/users/") && trimmed.dropFirst(9).split(separator: "/").count == 1
    }

    /// Parameters of the file cmdlets that take a value (the next word); any other (`-Recurse`, `-Force`, `-rf` written
    /// as on Unix) is a switch.
    static let valuedParameters: Set<String> = [
        "-path", "-literalpath", "-lp", "-destination", "-filepath", "-outfile", "-target", "-filter", "-include", "-exclude",
        "-value", "-encoding", "-itemtype", "-type", "-name", "-newname", "-credential", "-stream", "-delimiter", "-erroraction",
        "-ea", "-warningaction", "-wa", "-outvariable", "-ov", "-errorvariable", "-ev", "-inputobject", "-width", "-depth",
        "-first", "-last", "-skip", "-tail", "-totalcount", "-head", "-readcount", "-pattern", "-property", "-passthru:$true",
        "-destinationpath", "-compressionlevel", "-computername", "-cn", "-hostname", "-session",
        // Invoke-Sqlcmd
        "-query", "-inputfile", "-serverinstance", "-database", "-connectionstring", "-username", "-password",
        "-querytimeout", "-connectiontimeout", "-variable", "-infile", "-method", "-uri", "-headers", "-body",
    ]
    /// The parameters that name a path a cmdlet reads or writes.
    static let pathParameters: Set<String> = ["-path", "-literalpath", "-destination", "-destinationpath", "-filepath", "-outfile",
                                              "-target", "-lp"]

    /// A `cmd.exe` switch (`/s`, `/q`, `/F`, `/-y`, `/a:h`, `/?`), not a path: `rd /s /q dist`, `del /f /q build\*`.
    static func isCmdSwitch(_ word: String) -> Bool {
        var rest = Substring(word)
        guard rest.hasPrefix("/") else { return false }
        rest = rest.dropFirst()
        if rest.hasPrefix("-") { rest = rest.dropFirst() }
        guard let letter = rest.first, letter.isASCII, letter.isLetter || letter == "?" else { return false }
        rest = rest.dropFirst()
        if rest.isEmpty { return true }
        return rest.hasPrefix(":") && rest.dropFirst().allSatisfy { $0.isASCII && ($0.isLetter || $0 == "-") }
    }

    /// Whether a shell tool's command line is for PowerShell or `cmd.exe`, not a POSIX shell: a command that is a
    /// cmdlet (`Get-Content`, `iex`), `$env:`; in a Windows working directory also a drive path written with
    /// backslashes (`C:\Users\…`, which a POSIX shell would strip of them), and any line of a tool that runs PowerShell
    /// there (`windowsShell`: Gemini CLI's `run_shell_command`). Git Bash lines (`rm -rf dist`) stay POSIX.
    static func isWindowsLine(_ line: String, windowsDirectory: Bool, windowsShell: Bool) -> Bool {
        if windowsDirectory && windowsShell { return true }
        var text = line
        return text.withUTF8 { bytes in
            let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
            func separates(_ byte: UInt8) -> Bool {
                byte == UInt8(ascii: "|") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "(")
                    || byte == newline
            }
            var index = 0
            var commandStart = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "$"), index + 4 < bytes.count, bytes[index + 1] | 0x20 == UInt8(ascii: "e"),
                   bytes[index + 2] | 0x20 == UInt8(ascii: "n"), bytes[index + 3] | 0x20 == UInt8(ascii: "v"), bytes[index + 4] == UInt8(ascii: ":") {
                    return true
                }
                if windowsDirectory, byte == UInt8(ascii: ":"), index > 0, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"),
                   (bytes[index - 1] | 0x20) >= UInt8(ascii: "a") && (bytes[index - 1] | 0x20) <= UInt8(ascii: "z"),
                   index == 1 || bytes[index - 2] == space || bytes[index - 2] == UInt8(ascii: "\"") || bytes[index - 2] == UInt8(ascii: "'")
                    || bytes[index - 2] == UInt8(ascii: "=") {
                    return true
                }
                if separates(byte) {
                    commandStart = true
                } else if byte != space && byte != tab && commandStart {
                    commandStart = false
                    var end = index
                    var dash = false
                    while end < bytes.count, bytes[end] != space, bytes[end] != tab, !separates(bytes[end]) {
                        if bytes[end] == UInt8(ascii: "-") { dash = true }
                        end += 1
                    }
                    // Only a word with a dash, or of three letters, can be one (a string is made for a dash's alone).
                    if end - index == 3 {
                        let a = bytes[index] | 0x20, b = bytes[index + 1] | 0x20, c = bytes[index + 2] | 0x20
                        if a == UInt8(ascii: "i") && (b == UInt8(ascii: "e") && c == UInt8(ascii: "x") || b == UInt8(ascii: "w") && c == UInt8(ascii: "r")
                                                      || b == UInt8(ascii: "r") && c == UInt8(ascii: "m")) {
                            return true
                        }
                    } else if dash, isCmdlet(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)) {
                        return true
                    }
                    index = end
                    continue
                }
                index += 1
            }
            return false
        }
    }

    static func isCmdlet(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.contains("-") && lower.first?.isLetter == true && (lower.hasPrefix("remove-") || lower.hasPrefix("set-")
            || lower.hasPrefix("get-") || lower.hasPrefix("invoke-") || lower.hasPrefix("new-") || lower.hasPrefix("add-")
            || lower.hasPrefix("copy-") || lower.hasPrefix("move-") || lower.hasPrefix("out-") || lower.hasPrefix("start-")
            || lower.hasPrefix("stop-") || lower.hasPrefix("clear-") || lower.hasPrefix("rename-") || lower.hasPrefix("export-")
            || lower.hasPrefix("import-") || lower.hasPrefix("select-") || lower.hasPrefix("expand-") || lower.hasPrefix("compress-")
            || lower.hasPrefix("disable-") || lower.hasPrefix("uninstall-") || lower.hasPrefix("format-volume"))
    }

    /// Classifies a PowerShell script.
    public static func classify(script: String, context: ClassificationContext) -> Classification {
        var result = Classification()
        guard context.nesting < ClassificationContext.maximumNesting else {
            result.add(.obfuscated, "scripts nested too deeply to analyse")
            result.add(.highRisk, "hides what it runs in scripts nested too deeply to analyse")
            return result
        }
        var context = context
        context.nesting += 1
        let start = context.branch
        if script.lowercased().contains("net.sockets.tcpclient") && (script.lowercased().contains("getstream")
            || script.lowercased().contains("iex") || script.lowercased().contains("invoke-expression")) {
            result.add(.highRisk, "opens a TCP connection and runs what it receives (PowerShell reverse shell pattern)")
            result.add(.network, "opens a TCP connection")
        }
        // Statements separated by `;` or newlines; pipelines by `|`.
        for statement in split(script, on: [";", "\n"]) {
            let stages = split(statement, on: ["|"]).map(words)
            for (index, stage) in stages.enumerated() where !stage.isEmpty {
                // `Set-Location C:\repo; Remove-Item -Recurse data`: the next statements' relative paths are under it.
                if stages.count == 1, let directory = changedDirectory(stage, context: context) {
                    context.cwd = directory
                    continue
                }
                let upstream = stages[..<index].compactMap(\.first).map { $0.lowercased() }
                classifyStage(stage, upstream: upstream, context: context, into: &result)
                // A branch a statement switched to is the next statements' (`git checkout -b x; git push`).
                context.adoptBranch(of: result)
            }
        }
        if result.selectedBranch != nil {
            result.selectedBranch = context.branch == start ? nil : context.branch ?? ""
            result.branchBefore = context.previousBranch
        }
        return result
    }

    /// The directory `Set-Location`, `cd`, `sl`, `chdir` or `Push-Location` changes to (its `-Path`, `-LiteralPath`
    /// or first argument), absolute; nil for another command, or one with no directory (`cd` alone, `cd -`, a variable).
    static func changedDirectory(_ words: [String], context: ClassificationContext) -> String? {
        guard let name = words.first?.lowercased(),
              ["set-location", "sl", "cd", "chdir", "push-location", "pushd"].contains(name) else { return nil }
        let args = Array(words.dropFirst())
        var target: String?
        var index = 0
        while index < args.count {
            let lower = args[index].lowercased()
            if lower == "-path" || lower == "-literalpath" || lower == "-lp" {
                target = index + 1 < args.count ? args[index + 1] : nil
                break
            }
            if !lower.hasPrefix("-") && target == nil { target = args[index] }
            index += 1
        }
        guard let target, !target.isEmpty, target != "-", target != "+", !target.hasPrefix("$") else { return nil }
        return PathNormalizer.absolute(portable(target), cwd: context.cwd, home: context.home)
    }

    /// Classifies one command given as words (from the shell path).
    static func classify(words: [String], context: ClassificationContext) -> Classification {
        var result = Classification()
        guard context.nesting < ClassificationContext.maximumNesting else { return result }
        var context = context
        context.nesting += 1
        classifyStage(words, upstream: [], context: context, into: &result)
        return result
    }

    static func classifyStage(_ words: [String], upstream: [String], context: ClassificationContext,
                              into result: inout Classification) {
        var words = words
        // Redirections: `> C:\x.txt`, `>> $PROFILE`, `2>&1`, `*> log` (`$null` and `NUL` discard).
        var index = 0
        while index < words.count {
            let word = words[index]
            guard let arrow = word.firstIndex(of: ">"), word.prefix(upTo: arrow).allSatisfy({ $0.isNumber || $0 == "*" }) else {
                index += 1
                continue
            }
            var target = String(word[word.index(after: arrow)...])
            if target.hasPrefix(">") { target.removeFirst() }
            words.remove(at: index)
            if target.isEmpty, index < words.count { target = words.remove(at: index) }
            guard !target.hasPrefix("&"), !["$null", "nul", "null"].contains(target.lowercased()), !target.isEmpty else { continue }
            let path = PathNormalizer.absolute(portable(target), cwd: context.cwd, home: context.home)
            result.target(ActionTarget(.path, path, operation: "write"))
            result.add(.write, "writes \(path) by redirection")
            if let what = SensitivePaths.persistence(path, home: context.home) {
                result.add(.highRisk, "writes \(path), \(what) (persistence: it outlasts the session)")
            }
        }
        // The call operator (`& rm -rf C:\data`, `& "C:\Program Files\Git\bin\git.exe" push`) runs what follows; a script
        // block (`& { … }`) its statements.
        if words.first == "&" || words.first == ".", words.count > 1, !words[1].hasPrefix("$") {
            let rest = Array(words.dropFirst())
            if rest[0].hasPrefix("{") {
                let block = rest.joined(separator: " ")
                result = merged(result, classify(script: String(block.dropFirst().prefix { $0 != "}" }), context: context))
                return
            }
            words = rest
        }
        guard let first = words.first else { return }
        let name = first.lowercased()
        let args = Array(words.dropFirst())
        let lowerArgs = args.map { $0.lowercased() }
        // The arguments in order: each named parameter that takes a value, with it, and the positional ones (`cmd.exe`
        // switches left out).
        var items: [(parameter: String?, value: String)] = []
        var position = 0
        while position < args.count {
            let arg = args[position]
            if arg.hasPrefix("-") {
                let flag = arg.lowercased()
                if PowerShellAnalyzer.valuedParameters.contains(flag) {
                    if position + 1 < args.count { items.append((flag, args[position + 1])) }
                    position += 1
                }
            } else if !PowerShellAnalyzer.isCmdSwitch(arg) {
                items.append((nil, arg))
            }
            position += 1
        }
        /// The value of the first of the named parameters given.
        func parameter(_ names: Set<String>) -> String? { items.first { $0.parameter.map(names.contains) ?? false }?.value }
        func absolute(_ raw: String) -> String {
            PathNormalizer.absolute(PowerShellAnalyzer.portable(raw), cwd: context.cwd, home: context.home)
        }
        /// The paths a cmdlet names, in order: its positional arguments and path parameters.
        func paths() -> [String] {
            items.filter { $0.parameter.map(PowerShellAnalyzer.pathParameters.contains) ?? true }.map { absolute($0.value) }
        }
        /// The file a cmdlet acts on: its `-Path`, `-LiteralPath` or `-FilePath`, else its first positional argument.
        func pathArgument() -> String? {
            (parameter(["-path", "-literalpath", "-filepath", "-lp"]) ?? items.first { $0.parameter == nil }?.value).map(absolute)
        }
        /// Reports a secret variable's value read or printed; false when the name is no secret's.
        func secretVariable(_ variable: String, _ how: String) -> Bool {
            guard ShellAnalyzer.looksSecret(variable) else { return false }
            result.family(first)
            result.add(.sensitiveRead, "\(how) the secret variable \(variable)")
            result.target(ActionTarget(.secret, variable, operation: "read"))
            return true
        }
        // `$env:NAME = "value"`, `$env:NAME="value"`: an assignment sets the variable; it prints nothing.
        if name.hasPrefix("$env:") || name.hasPrefix("${env:"), first.contains("=") || words.dropFirst().first?.hasPrefix("=") == true {
            let assignment = words.joined(separator: "")
            let parts = assignment.split(separator: "=", maxSplits: 1)
            let variable = parts[0].dropFirst(name.hasPrefix("$env:") ? 5 : 6).prefix { $0 != "}" }
            let value = parts.count > 1 ? parts[1].filter { $0 != "\"" && $0 != "'" } : ""
            if ShellAnalyzer.turnsOffTLS(variable: String(variable), value: String(value)) {
                result.add(.highRisk, "turns off TLS certificate checks ($env:\(variable)=\(value))")
            }
            return
        }
        // `Remove-Item Env:GITHUB_TOKEN`, `Get-Content Env:AWS_SECRET_ACCESS_KEY`: the environment drive, not files.
        if let item = args.first(where: { $0.lowercased().hasPrefix("env:") }), deleteCmdlets.contains(name) || readCmdlets.contains(name) {
            result.family(first)
            if readCmdlets.contains(name) { _ = secretVariable(String(item.dropFirst(4)), "prints") }
            return
        }
        // `[Environment]::GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")`
        if let call = words.first(where: { $0.lowercased().contains("getenvironmentvariable(") }) {
            let variable = call.split(whereSeparator: { "()\"', ".contains($0) }).dropFirst().first.map(String.init) ?? ""
            if secretVariable(variable, "reads") { return }
        }
        // `$env:AWS_SECRET_ACCESS_KEY`, `echo $env:GITHUB_TOKEN`: a secret variable printed.
        if name.hasPrefix("$") || ["echo", "write-output", "write-host", "write", "out-host"].contains(name) {
            for word in words {
                let lower = word.lowercased()
                guard lower.hasPrefix("$env:") || lower.hasPrefix("${env:") else { continue }
                if secretVariable(String(word.dropFirst(lower.hasPrefix("$env:") ? 5 : 6).prefix { $0 != "}" }), "prints") { return }
            }
        }
        let statement = words.joined(separator: " ")
        let lowerStatement = statement.lowercased()
        // .NET's own file calls (`[System.IO.Directory]::Delete('C:\srv\data', $true)`, `[IO.File]::Delete(…)`).
        for marker in ["io.directory]::delete(", "io.file]::delete("] {
            guard let range = lowerStatement.range(ofASCII: marker) else { continue }
            let rest = statement[statement.index(statement.startIndex, offsetBy: lowerStatement.distance(from: lowerStatement.startIndex, to: range.upperBound))...]
            let literal = rest.drop { $0 == " " || $0 == "'" || $0 == "\"" }.prefix { $0 != "'" && $0 != "\"" && $0 != "," && $0 != ")" }
            result.family("System.IO")
            if !literal.isEmpty, !literal.hasPrefix("$") {
                let target = absolute(String(literal))
                result.target(ActionTarget(.path, target, operation: "delete"))
                result.add(.delete, "deletes \(target) with .NET's \(marker.hasPrefix("io.dir") ? "Directory" : "File").Delete")
                if PowerShellAnalyzer.isCriticalDirectory(target, home: context.home) {
                    result.add(.highRisk, "recursively deletes \(target), a drive, system or home directory")
                }
            } else {
                result.add(.delete, "deletes files with .NET's Delete")
            }
            return
        }
        // `[Environment]::GetEnvironmentVariables()`: the whole environment, secrets and all.
        if lowerStatement.contains("getenvironmentvariables(") {
            result.family("Environment")
            result.add(.sensitiveRead, "dumps the environment ([Environment]::GetEnvironmentVariables())")
            result.target(ActionTarget(.secret, "environment", operation: "read"))
            return
        }
        // `Set-PSReadLineOption -HistorySaveStyle SaveNothing`: the session's commands are no longer saved.
        if name == "set-psreadlineoption", lowerStatement.contains("savenothing") || lowerStatement.contains("-historysavepath") {
            result.family(first)
            result.add(.highRisk, "stops saving the command history (Set-PSReadLineOption)")
            return
        }
        // `… | ForEach-Object { Remove-Item $_.FullName }`, `% { … }`, `Where-Object`: the block runs per item.
        if ["foreach-object", "%", "foreach", "where-object", "?"].contains(name), let open = statement.firstIndex(of: "{"),
           let close = statement.lastIndex(of: "}"), open < close {
            result = merged(result, classify(script: String(statement[statement.index(after: open)..<close]), context: context))
            return
        }
        if name == "clear-history" || name == "clhy" {
            result.family(first)
            result.add(.highRisk, "clears the session's command history (\(first))")
            return
        }
        if name == "invoke-command" || name == "icm" {
            // `Invoke-Command -ComputerName prod-web -ScriptBlock { … }`: the block runs there.
            result.family("Invoke-Command")
            let remote: Set<String> = ["-computername", "-cn", "-hostname", "-session"]
            if let at = parameter(remote) {
                result.add(.remoteExec, "runs commands on \(at) (Invoke-Command)")
                result.target(ActionTarget(.host, at, operation: "exec"))
                if let token = context.policy.production.match(at) { result.productionEvidence("Invoke-Command host \(at) (\(token))") }
            }
            let joined = args.joined(separator: " ")
            if let open = joined.firstIndex(of: "{"), let close = joined.lastIndex(of: "}"), open < close {
                var inner = context
                if parameter(remote) != nil { inner.cwd = nil }
                result = merged(result, classify(script: String(joined[joined.index(after: open)..<close]), context: inner))
            }
            return
        }
        if lowerArgs.contains("-whatif") {
            result.note("\(first) -WhatIf changes nothing")
            result.family(first)
            return
        }
        if deleteCmdlets.contains(name) {
            result.family("Remove-Item")
            let targets = paths().filter { !$0.hasPrefix("-") }
            for target in targets { result.target(ActionTarget(.path, target, operation: "delete")) }
            // `Remove-Item -Recurse C:\`, `C:\Windows`, `$HOME`: a drive, the system or a home, as `rm -rf /` is.
            for target in targets where PowerShellAnalyzer.isCriticalDirectory(target, home: context.home) {
                result.add(.highRisk, "recursively deletes \(target), a drive, system or home directory")
            }
            result.add(.delete, "deletes \(targets.joined(separator: ", ")) with \(first)\(lowerArgs.contains("-recurse") || lowerArgs.contains("/s") ? " -Recurse" : "")")
            return
        }
        if writeCmdlets.contains(name) {
            result.family(first)
            let targets = paths()
            // Set-Content PATH VALUE, Out-File PATH: the first positional is the file; Copy-Item SRC DEST: the last.
            let firstIsDestination = ["set-content", "sc", "add-content", "ac", "out-file", "new-item", "ni", "set-itemproperty",
                                      "sp", "export-csv", "tee-object", "tee"].contains(name)
            if let destination = firstIsDestination ? pathArgument() : targets.last {
                result.target(ActionTarget(.path, destination, operation: "write"))
                result.add(.write, "writes \(destination) with \(first)")
                if let what = SensitivePaths.persistence(destination, home: context.home) {
                    result.add(.highRisk, "writes \(destination), \(what) (persistence: it outlasts the session)")
                }
            }
            for source in targets.dropLast() where name.hasPrefix("copy") || name == "cp" || name == "cpi" {
                result.target(ActionTarget(.path, source, operation: "copy"))
                if let pattern = context.policy.sensitivePaths.match(source, home: context.home) {
                    result.add(.sensitiveRead, "\(first) copies secret material \(source) (matches \(pattern))")
                }
            }
            return
        }
        if readCmdlets.contains(name) {
            result.family(first)
            for target in paths() {
                result.target(ActionTarget(.path, target, operation: "read"))
                result.add(.read, "reads \(target) with \(first)")
                if let pattern = context.policy.sensitivePaths.match(target, home: context.home) {
                    result.add(.sensitiveRead, "\(first) reads secret material \(target) (matches \(pattern))")
                }
            }
            return
        }
        if ["get-childitem", "gci", "dir", "ls", "get-item", "gi"].contains(name),
           lowerArgs.contains(where: { $0 == "env:" || $0 == "env:*" || $0 == "env:\\" }) {
            result.family(first)
            result.add(.sensitiveRead, "dumps the environment (\(first) env:)")
            result.target(ActionTarget(.secret, "environment", operation: "read"))
            return
        }
        if ["set-executionpolicy"].contains(name), lowerArgs.contains(where: { $0 == "bypass" || $0 == "unrestricted" }) {
            result.family(first)
            result.add(.highRisk, "turns off script signing checks (Set-ExecutionPolicy \(args.first ?? ""))")
            return
        }
        if name == "invoke-pester" {
            result.family(first)
            result.add(.test, "runs tests (Invoke-Pester)")
            result.target(ActionTarget(.testRunner, "Invoke-Pester"))
            return
        }
        if invokeCmdlets.contains(name), args.count == 1, !args[0].hasPrefix("$"), !args[0].hasPrefix("(") {
            // `iex 'Remove-Item C:\x -Recurse'`: a literal is the script it evaluates.
            result.family("Invoke-Expression")
            result = merged(result, classify(script: args[0], context: context))
            return
        }
        if invokeCmdlets.contains(name) {
            result.family("Invoke-Expression")
            let inline = args.joined(separator: " ").lowercased()
            if inline.contains("frombase64string") || inline.contains("-encodedcommand") {
                // `iex ([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('…')))`: decodes a payload and runs it.
                result.add(.highRisk, "decodes a payload and runs it (Invoke-Expression of FromBase64String)")
                result.add(.obfuscated, "runs an encoded payload")
            } else if upstream.contains(where: downloadCmdlets.contains) || inline.contains("downloadstring")
                || downloadCmdlets.contains(where: { inline.contains("(" + $0 + " ") || inline.hasPrefix($0 + " ") }) {
                result.add(.highRisk, "downloads code and runs it (… | Invoke-Expression)")
                result.add(.network, "downloads code")
            } else {
                result.add(.obfuscated, "evaluates text at run time (Invoke-Expression)")
            }
            return
        }
        if downloadCmdlets.contains(name), let upload = parameter(["-infile"]) {
            // `Invoke-RestMethod -Method Put -InFile $env:USERPROFILE\.aws\credentials https://…`: the file is sent away.
            let source = absolute(upload)
            result.family(first)
            result.add(.network, "uploads \(source) with \(first)")
            result.target(ActionTarget(.path, source, operation: "read"))
            result.add(.read, "reads \(source) with \(first)")
            if let pattern = context.policy.sensitivePaths.match(source, home: context.home) {
                result.add(.sensitiveRead, "\(first) uploads secret material \(source) (matches \(pattern))")
            }
            return
        }
        if name == "compress-archive" {
            // `Compress-Archive -Path ~\.ssh -DestinationPath x.zip`: reads what it packs.
            result.family(first)
            for item in items where item.parameter == "-path" || item.parameter == "-literalpath" || item.parameter == nil {
                let source = absolute(item.value)
                result.target(ActionTarget(.path, source, operation: "read"))
                if let pattern = context.policy.sensitivePaths.match(source, home: context.home)
                    ?? context.policy.sensitivePaths.sensitiveFileInside(directory: source, home: context.home)?.pattern {
                    result.add(.sensitiveRead, "Compress-Archive packs secret material \(source) (matches \(pattern))")
                }
            }
            if let destination = parameter(["-destinationpath"]) {
                result.target(ActionTarget(.path, absolute(destination), operation: "write"))
                result.add(.write, "writes \(absolute(destination)) with Compress-Archive")
            }
            return
        }
        if downloadCmdlets.contains(name) {
            result.family(first)
            result.add(.network, "downloads with \(first)")
            if let out = parameter(["-outfile"]), !out.isEmpty {
                let target = PathNormalizer.absolute(out, cwd: context.cwd, home: context.home)
                result.target(ActionTarget(.path, target, operation: "write"))
                result.add(.write, "downloads to \(target)")
            }
            for arg in args where arg.contains("://") {
                result.target(ActionTarget(.url, arg))
                if let host = ShellAnalyzer.urlHost(arg), ShellAnalyzer.metadataHosts.contains(host) {
                    result.add(.sensitiveRead, "reads the cloud metadata endpoint \(host)")
                    result.target(ActionTarget(.secret, "cloud metadata \(host)", operation: "read"))
                }
            }
            return
        }
        switch name {
        case "set-mppreference", "add-mppreference":
            if lowerArgs.contains(where: { $0.hasPrefix("-disable") }) || lowerArgs.contains("-exclusionpath") {
                result.add(.highRisk, "weakens Microsoft Defender (\(first))")
            }
            return
        case "stop-service", "set-service":
            result.family(first)
            if lowerArgs.contains(where: { ["windefend", "sense", "eventlog", "sysmon", "mpssvc"].contains($0) }) {
                result.add(.highRisk, "stops a security or logging service (\(first))")
            }
            return
        case "clear-eventlog", "wevtutil":
            if name == "clear-eventlog" || lowerArgs.first == "cl" || lowerArgs.first == "clear-log" {
                result.add(.highRisk, "clears event logs (\(first))")
            }
            return
        case "start-process", "saps", "start":
            result.family(first)
            if lowerArgs.contains("-verb") && lowerArgs.contains("runas") {
                result.add(.highRisk, "starts a process as administrator (Start-Process -Verb RunAs)")
            }
            return
        case "invoke-sqlcmd":
            // SQL Server's cmdlet is `sqlcmd` by other names: `-Query` is `-Q`, `-InputFile` `-i`, `-ServerInstance` `-S`.
            let names = ["-query": "-Q", "-inputfile": "-i", "-serverinstance": "-S", "-database": "-d"]
            var argv = ["sqlcmd"]
            for (parameter, value) in items {
                guard let parameter, let option = names[parameter] else { continue }
                argv += [option, option == "-i" ? portable(value) : value]
            }
            if let connection = parameter(["-connectionstring"]) {
                // `Server=prod-sql;Database=orders;…`: the server and the database it names.
                for pair in connection.split(separator: ";") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces.lowercased() }
                    guard parts.count == 2 else { continue }
                    let value = String(pair.split(separator: "=", maxSplits: 1)[1]).trimmingSpaces
                    if ["server", "data source", "address", "addr"].contains(parts[0]) { argv += ["-S", value] }
                    if ["database", "initial catalog"].contains(parts[0]) { argv += ["-d", value] }
                }
            }
            result = merged(result, ShellAnalyzer.classify(argv: argv, context: context))
            result.family(first)
            return
        case "powershell", "pwsh", "powershell.exe", "pwsh.exe":
            var analyzer = ShellAnalyzer(context: context)
            analyzer.powershellHost(ShellAnalyzer.ResolvedCommand(program: "pwsh", args: CommandArguments(args), written: first))
            result = merged(result, analyzer.result)
            return
        default:
            break
        }
        if name.hasPrefix("$") || name.hasPrefix("&") && args.first?.hasPrefix("$") == true {
            result.add(.obfuscated, "the command to run is computed at run time (\(first))")
            return
        }
        if isCmdlet(name) {
            // An unknown cmdlet: recorded, not sent back to the shell rules (which would send it here).
            result.family(first)
            return
        }
        if (name == "tcpclient" || args.joined(separator: " ").lowercased().contains("net.sockets.tcpclient"))
            || words.joined(separator: " ").lowercased().contains("system.net.sockets.tcpclient") {
            result.add(.highRisk, "opens a TCP connection and runs what it receives (PowerShell reverse shell pattern)")
            return
        }
        // A native command: classify it with the shell rules.
        let shell = ShellAnalyzer.classify(argv: words, context: context)
        result = merged(result, shell)
    }

    /// `.\dir\file` → `./dir/file`, so Windows-style relative paths resolve and match patterns.
    static func portable(_ path: String) -> String {
        if PathNormalizer.isWindows(path) || path.hasPrefix("\\\\") { return path }
        var portable = path.replacingAll("\\", with: "/")
        // `$PROFILE` (any of its `.CurrentUserAllHosts`-style members): PowerShell's profile in the home.
        let lower = portable.lowercased()
        if lower == "$profile" || lower.hasPrefix("$profile.") || lower == "${profile}" {
            return "~/Documents/PowerShell/" + (lower.contains("allhosts") ? "profile.ps1" : "Microsoft.PowerShell_profile.ps1")
        }
        // The home directory under its PowerShell names.
        for name in ["$env:USERPROFILE", "${env:USERPROFILE}", "$env:HOME", "${env:HOME}", "$HOME", "${HOME}"] {
            if portable.lowercased() == name.lowercased() { return "~" }
            if portable.lowercased().hasPrefix(name.lowercased() + "/") { portable = "~" + portable.dropFirst(name.count) }
        }
        return portable
    }

    static func merged(_ a: Classification, _ b: Classification) -> Classification {
        var out = a
        for reason in b.reasons { if let cls = ActionClasses.named(reason.className) { out.add(cls, reason.text) } }
        for target in b.targets { out.target(target) }
        for family in b.commandFamilies { out.family(family) }
        for note in b.notes { out.note(note) }
        for evidence in b.production { out.productionEvidence(evidence) }
        out.scriptChanges += b.scriptChanges
        // What the later part selected for the session's later actions.
        if let selected = b.selectedKubeContext { out.selectedKubeContext = selected }
        if let selected = b.selectedTerraformWorkspace { out.selectedTerraformWorkspace = selected }
        if let selected = b.selectedBranch {
            out.selectedBranch = selected
            out.branchBefore = b.branchBefore
            out.branchDirectory = b.branchDirectory
        }
        return out
    }

    /// Splits outside quotes.
    static func split(_ text: String, on separators: Set<Character>) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        var braces = 0   // inside a script block `{ … }`: its statements are its own
        for ch in text {
            if let q = quote {
                current.append(ch)
                if ch == q { quote = nil }
                continue
            }
            if ch == "{" { braces += 1 } else if ch == "}" { braces = max(0, braces - 1) }
            if ch == "'" || ch == "\"" {
                quote = ch
                current.append(ch)
            } else if separators.contains(ch) && braces == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// Words with PowerShell quoting ('…' literal, "…", backtick escapes).
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character?
        var escape = false
        var any = false
        for ch in text {
            if escape {
                current.append(ch)
                escape = false
                continue
            }
            if ch == "`" && quote != "'" {
                escape = true
                continue
            }
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
                continue
            }
            if ch == "'" || ch == "\"" {
                quote = ch
                any = true
                continue
            }
            if ch == " " || ch == "\t" {
                if !current.isEmpty || any { out.append(current) }
                current = ""
                any = false
                continue
            }
            current.append(ch)
        }
        if !current.isEmpty || any { out.append(current) }
        return out
    }
}
