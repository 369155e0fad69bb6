/// Commands on local files: delete, write, read, environment dumps.
extension ShellAnalyzer {
    static let readers: Set<String> = [
        "cat", "tac", "less", "more", "head", "tail", "bat", "batcat", "nl", "od", "hexdump", "strings", "view",
        "zcat", "zless", "bzcat", "xzcat", "jq", "yq", "cut", "sort", "uniq", "diff", "cmp", "comm", "paste",
        "column", "fold", "fmt", "expand", "unexpand", "iconv", "rev", "pr", "look", "split", "csplit", "md5sum", "sha1sum", "sha256sum", "sha512sum", "cksum", "b2sum",
        "gc", "get-content",
        // Editors show a file before they change it.
        "vi", "vim", "nvim", "nano", "emacs", "micro",
    ]
    /// Directories whose recursive deletion is catastrophic.
    static let criticalRoots: Set<String> = ["/", "/*", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64",
                                             "/opt", "/root", "/sbin", "/srv", "/usr", "/var", "/Users", "/System"]

    mutating func fileCommand(_ command: ResolvedCommand, stdin: ResolvedCommand?, upstreamAll: [ResolvedCommand]) -> Bool {
        let p = command.program
        let a = command.args
        switch p {
        case "ssh-keygen":
            // -y (print the public key), -p (change the passphrase), -e (export): read the private key of -f.
            family(p, nil)
            if let key = a.value("-f"), a.hasShort("y") || a.hasShort("p") || a.hasShort("e") {
                file(key, "read", by: p)
                result.add(.read, "reads \(path(key)) with \(p)")
            } else if let key = a.value("-f"), !a.hasShort("l") && !a.hasShort("F") && !a.hasShort("R") && !a.hasShort("B") {
                // A key generated into a file (`ssh-keygen -t ed25519 -f ~/.ssh/id_ed25519`): written, and its `.pub`.
                file(key, "write", by: p)
                result.add(.write, "writes the key pair \(path(key)) with \(p)")
            }
            return true
        case "rm", "rmdir", "unlink", "shred", "srm", "trash", "trash-put", "rimraf", "del-cli", "premove",
             "gio" where a.texts.first == "trash":
            family(p, nil)
            var targets = a.positionals().map(\.text)
            if p == "gio" { targets = Array(targets.dropFirst()) }
            if command.fromXargs {
                let upstream = upstreamPaths(upstreamAll)
                add(.delete, "deletes files given on its input (\(p) via xargs\(upstream.isEmpty ? "" : " from " + upstream.joined(separator: ", ")))")
                for target in upstream { file(target, "delete", by: p) }
                return true
            }
            if targets.isEmpty && !a.isEmpty {
                add(.delete, "deletes files with \(p)")
                return true
            }
            guard !targets.isEmpty else { return true }
            let recursive = a.hasShort("r") || a.hasShort("R") || a.has("--recursive")
            for target in targets {
                file(target, "delete", by: p)
                let resolved = path(target)
                // Everything in one (`rm -rf ~/*`, `/etc/*`) is as bad as the directory itself.
                let contents = resolved.hasSuffix("/*") && resolved.utf8.count > 2 ? String(resolved.dropLast(2)) : nil
                if recursive, ShellAnalyzer.criticalRoots.contains(resolved) || resolved == context.home
                    || contents.map({ ShellAnalyzer.criticalRoots.contains($0) || $0 == context.home }) == true
                    || target == "~" || target == "~/" || target == "$HOME" || target == "/*" || a.has("--no-preserve-root") {
                    add(.highRisk, "recursively deletes \(resolved == "/" && target == "/*" ? "/*" : resolved), a root or home directory")
                }
            }
            add(.delete, "deletes \(targets.map(path).joined(separator: ", ")) with \(p)\(recursive ? " -r" : "")")
            if p == "shred" { add(.delete, "overwrites files so they cannot be recovered (shred)") }
            // A disk or partition overwritten (`shred /dev/sdb`), as `dd of=/dev/sdb` does.
            if p == "shred" || p == "srm", targets.contains(where: { $0.hasPrefix("/dev/") && !PathNormalizer.isPseudoFile($0) }) {
                add(.highRisk, "overwrites a disk or partition (\(p) \(targets.first { $0.hasPrefix("/dev/") } ?? ""))")
            }
            return true
        case "mv":
            family(p, nil)
            let targets = a.positionals(valued: ["-t", "--target-directory", "-S", "--suffix"]).map(\.text)
            for target in targets { file(target, "write", by: p) }
            if !targets.isEmpty { add(.write, "moves \(targets.map(path).joined(separator: " → ")) with mv") }
            return true
        case "cp", "install", "ln", "link":
            family(p, nil)
            var targets = a.positionals(valued: ["-t", "--target-directory", "-S", "--suffix", "-m", "--mode", "-o",
                                                 "--owner", "-g", "--group"]).map(\.text)
            if let directory = a.value("-t", "--target-directory") {
                targets.append(directory)
            }
            guard targets.count >= 2 || (p == "install" && a.hasShort("d")) else { return true }
            let destination = targets.removeLast()
            if p == "ln", destination.hasSuffix("_history"), targets.contains("/dev/null") {
                add(.highRisk, "sends shell history to /dev/null (ln -s /dev/null \(destination))")
            }
            // `cp /dev/null file` empties it.
            if p == "cp", targets == ["/dev/null"] {
                file(destination, "delete", by: p)
                add(.delete, "empties \(path(destination)) (cp /dev/null; its content is destroyed)")
                add(.write, "writes \(path(destination)) with cp")
                return true
            }
            for source in targets where p == "cp" || p == "install" { file(source, "copy", by: p) }
            file(destination, "write", by: p)
            // Into a directory (`cp x.service /etc/systemd/system/`, `-t DIR`, `cp hook .git/hooks/`): each source lands
            // inside it, where a persistence location may be the file's, not the directory's.
            if p != "link", SensitivePaths.persistence(path(destination), home: context.home) == nil {
                let directory = destination.hasSuffix("/") ? String(destination.dropLast()) : destination
                for source in targets where !source.isEmpty {
                    let inside = directory + "/" + ShellAnalyzer.basename(source)
                    if SensitivePaths.persistence(path(inside), home: context.home) != nil || SensitivePaths.grantsRoot(path(inside)) {
                        file(inside, "write", by: p)
                    }
                }
            }
            add(.write, "writes \(path(destination)) with \(p)")
            if !targets.isEmpty && p == "cp" { result.add(.read, "copies \(targets.map(path).joined(separator: ", "))") }
            if p == "ln", a.hasShort("s") || a.has("--symbolic"), targets.count == 1, let source = targets.first, remoteHost == nil {
                recordSymlink(source, at: destination)
            }
            return true
        case "touch", "mkdir", "mkfifo", "mknod", "truncate", "chown", "chgrp", "setfacl", "chattr", "tee":
            family(p, nil)
            let valued: Set<String> = ["-m", "--mode", "-s", "--size", "-r", "--reference", "-d", "--date", "-t", "-M", "-x"]
            let targets = a.positionals(valued: valued).map(\.text).dropFirst(p == "chown" || p == "chgrp" || p == "setfacl" && !a.has("-b") ? 1 : 0)
                .filter { !PathNormalizer.isPseudoFile(path($0)) }
            // `truncate -s 0 file` empties it.
            let size = a.value("-s", "--size") ?? a.words.first { $0.text.hasPrefix("-s") && $0.text.count > 2 }.map { String($0.text.dropFirst(2)) }
            if p == "truncate", let size, size == "0" || size == "0K" || size == "0M" || size == "0G" {
                for target in targets { file(target, "delete", by: p) }
                if !targets.isEmpty {
                    add(.delete, "empties \(targets.map(path).joined(separator: ", ")) (truncate -s 0; its content is destroyed)")
                    add(.write, "writes \(targets.map(path).joined(separator: ", ")) with truncate")
                }
                return true
            }
            for target in targets { file(target, "write", by: p) }
            if !targets.isEmpty { add(.write, "writes \(targets.map(path).joined(separator: ", ")) with \(p)") }
            // `tee x.sh <<'EOF' … EOF`: what the here-document holds is the file's content.
            if p == "tee" {
                let content = command.stdinText ?? stdin.flatMap { ShellAnalyzer.printedText([$0.program] + $0.args.texts) }
                for target in targets {
                    scriptWritten(content: content, to: path(target), appending: a.has("-a", "--append"))
                    tlsConfigWritten(content, to: path(target))
                }
            }
            return true
        case "setcap":
            // File capabilities that give root's powers to whoever runs it (`cap_setuid+ep` on python).
            family(p, nil)
            let positionals = a.positionals(valued: ["-n"]).map(\.text)
            for target in positionals.dropFirst() { file(target, "write", by: p) }
            let capabilities = (positionals.first ?? "").lowercased()
            // The capabilities each clause names (`cap_setuid,cap_setgid+ep`, `cap_net_bind_service=ep`); a bare `=ep` or
            // `all=…` names them all.
            let named = capabilities.split(separator: " ").flatMap { clause in
                clause.prefix { $0 != "=" && $0 != "+" && $0 != "-" }.split(separator: ",").map(String.init)
            }
            let dangerous: Set<String> = ["cap_setuid", "cap_setgid", "cap_sys_admin", "cap_dac_override", "cap_dac_read_search",
                                          "cap_sys_ptrace", "cap_sys_module", "cap_chown", "cap_fowner", "all"]
            if !a.has("-r"), capabilities.hasPrefix("=") || named.contains(where: dangerous.contains) {
                add(.highRisk, "gives a program root's powers (setcap \(capabilities))")
                add(.privilege, "gives a program root's powers (setcap \(capabilities))")
            }
            return true
        case "chmod":
            family(p, nil)
            let positionals = a.positionals(valued: ["--reference"]).map(\.text)
            guard let mode = positionals.first else { return true }
            let targets = Array(positionals.dropFirst())
            for target in targets { file(target, "write", by: p) }
            add(.write, "changes permissions of \(targets.map(path).joined(separator: ", ")) (chmod \(mode))")
            let recursive = a.hasShort("R") || a.has("--recursive")
            if mode.hasSuffix("777") || mode == "a+rwx" || mode == "ugo+rwx" || mode.hasSuffix("666") && recursive {
                add(.highRisk, "makes files world-writable (chmod\(recursive ? " -R" : "") \(mode))")
            }
            if mode.contains("s") && mode.contains("+") || (mode.count == 4 && (mode.first == "4" || mode.first == "2" || mode.first == "6")) {
                add(.highRisk, "sets the setuid/setgid bit (chmod \(mode))")
            }
            return true
        case "dd":
            family(p, nil)
            for word in a.words {
                if word.text.hasPrefix("of=") {
                    let target = String(word.text.dropFirst(3))
                    if target.hasPrefix("/dev/") && !PathNormalizer.isPseudoFile(target) {
                        add(.highRisk, "writes raw data to a device (dd of=\(target))")
                        result.target(ActionTarget(.path, target, operation: "write"))
                    } else if !PathNormalizer.isPseudoFile(target) {
                        file(target, "write", by: "dd")
                        add(.write, "writes \(path(target)) with dd")
                    }
                } else if word.text.hasPrefix("if=") {
                    file(String(word.text.dropFirst(3)), "read", by: "dd")
                }
            }
            return true
        case "sed", "gsed", "awk", "gawk":
            family(p, nil)
            let inPlace = a.words.contains { $0.text == "-i" || $0.text.hasPrefix("-i") && !$0.text.hasPrefix("--") && p.hasSuffix("sed")
                || $0.text.hasPrefix("--in-place") } || (p.hasSuffix("awk") && a.texts.contains("inplace"))
            var positionals = a.positionals(valued: ["-e", "--expression", "-f", "--file", "-F", "-v", "--assign", "-l", "-s"])
            let hasScriptOption = a.has("-e", "--expression", "-f", "--file")
            if !hasScriptOption && !positionals.isEmpty { positionals.removeFirst() }   // the script
            if p.hasSuffix("awk") && a.texts.contains("inplace") { positionals.removeAll { $0.text == "inplace" } }
            for word in positionals {
                file(word.text, inPlace ? "write" : "read", by: p)
            }
            if inPlace && positionals.isEmpty && command.fromXargs {
                // `grep -rl x . | xargs sed -i 's/a/b/'`: it edits, in place, the files given on its input.
                let upstream = upstreamPaths(upstreamAll)
                for target in upstream { file(target, "write", by: p) }
                add(.write, "edits files given on its input in place (\(p) -i via xargs\(upstream.isEmpty ? "" : " from " + upstream.joined(separator: ", ")))")
            } else if inPlace && !positionals.isEmpty {
                add(.write, "edits \(positionals.map { path($0.text) }.joined(separator: ", ")) in place (\(p) -i)")
            } else if !positionals.isEmpty {
                result.add(.read, "reads \(positionals.map { path($0.text) }.joined(separator: ", ")) with \(p)")
            }
            return true
        case "grep", "egrep", "fgrep", "rg", "ag", "ack", "zgrep", "git-grep", "select-string":
            family(p, nil)
            var positionals = a.positionals(valued: ["-e", "--regexp", "-f", "--file", "-m", "--max-count", "-A", "-B",
                                                     "-C", "--context", "--include", "--exclude", "--exclude-dir", "-g",
                                                     "--glob", "-t", "--type", "-T", "--type-not", "--color", "-d",
                                                     "--directories", "-D", "--devices", "--label", "-M", "--max-columns",
                                                     "-j", "--threads", "--sort", "-Pattern", "-Path"])
            if !a.has("-e", "--regexp", "-f", "--file") && !positionals.isEmpty { positionals.removeFirst() }
            // rg, ag and ack search directories by default; grep with -r, -R or --recursive.
            let recursive = ["rg", "ag", "ack", "git-grep"].contains(p) || a.hasShort("r") || a.hasShort("R")
                || a.has("--recursive", "--dereference-recursive", "-Recurse")
            for word in positionals + a.values("-Path").map({ ShellWord(text: $0) }) {
                file(word.text, "read", by: p, recursive: recursive)
            }
            if !positionals.isEmpty { result.add(.read, "searches \(positionals.map { path($0.text) }.joined(separator: ", "))") }
            return true
        case "base64", "base32", "xxd", "openssl", "gpg", "age":
            family(p, p == "openssl" ? a.texts.first : nil)
            // `openssl req -newkey … -keyout dev.key`: a key it writes, not reads.
            if let key = a.value("-keyout"), p == "openssl" {
                file(key, "write", by: p)
                add(.write, "writes the new key \(path(key)) with openssl")
            }
            let inputs = a.values("-in", "-i", "--input") + a.positionals(valued: ["-in", "-out", "-i", "-o", "-w", "--wrap", "-k",
                                                                                  "-K", "-pass", "-passin", "-passout", "-md", "-keyout",
                                                                                  "-newkey", "-days", "-subj", "-x509", "-config",
                                                                                  "-c", "-s", "-l", "-r", "--recipient",
                                                                                  "-u", "--local-user", "-O", "--output",
                                                                                  // gpg's own valued options: a passphrase is no file.
                                                                                  "--passphrase", "--passphrase-file", "--passphrase-fd",
                                                                                  "--pinentry-mode", "--default-key", "--homedir",
                                                                                  "--trust-model", "--cipher-algo", "--compress-algo",
                                                                                  "--keyserver", "--status-fd", "--logger-fd"]).map(\.text).dropFirst(p == "openssl" ? 1 : 0)
            for input in inputs where !input.hasPrefix("-") { file(input, "read", by: p) }
            if let output = a.value("-out", "-o", "--output") {
                file(output, "write", by: p)
                add(.write, "writes \(path(output)) with \(p)")
            }
            if !inputs.isEmpty { result.add(.read, "reads \(inputs.map(path).joined(separator: ", ")) with \(p)") }
            if p == "gpg" && (a.has("-d", "--decrypt")) { add(.sensitiveRead, "decrypts data with gpg") }
            if p == "gpg" && a.has("--export-secret-keys", "--export-secret-subkeys", "--export-ssh-key") {
                add(.sensitiveRead, "exports private keys (gpg \(a.texts.first { $0.hasPrefix("--export") } ?? "--export-secret-keys"))")
            }
            return true
        case "source", ".":
            family(p, nil)
            if let script = a.words.first {
                if script.text.hasPrefix("<(") {
                    if let tool = downloaderInSubstitution(script.text) {
                        add(.highRisk, "downloads a script and sources it (\(p) <(\(tool) …))")
                    }
                    return true
                }
                file(script.text, "read", by: p)
                // (A decoded file sourced is, as often as not, a secrets file a CI job decodes: only a downloaded one counts.)
                if downloaded.contains(path(script.text)) { add(.highRisk, "sources a script it downloaded") }
                runWrittenScript(path(script.text), as: "\(p) \(script.text)")
            }
            return true
        case "env", "printenv", "export", "declare", "typeset", "compgen", "local", "readonly":
            family(p, nil)
            let args = a.texts
            switch p {
            case "printenv":
                let names = a.positionals().map(\.text)
                if names.isEmpty {
                    if !environmentFiltered { add(.sensitiveRead, "dumps the environment (printenv), which holds secrets") }
                } else if let secret = names.first(where: ShellAnalyzer.looksSecret) {
                    add(.sensitiveRead, "prints the secret variable \(secret)")
                }
            case "export", "declare", "typeset", "local", "readonly":
                if p != "local" && p != "readonly"
                    && (args.isEmpty || args == ["-p"] || args == ["-x"] || args == ["-px"] || args == ["-xp"]) {
                    add(.sensitiveRead, "dumps the exported environment (\(p) \(args.joined(separator: " ")))")
                }
                for word in a.words where word.text.contains("=") {
                    let parts = word.text.split(separator: "=", maxSplits: 1)
                    let name = String(parts[0])
                    var value = parts.count > 1 ? String(parts[1]) : ""
                    value = assignedValue(ShellWord(text: value, quoted: word.quoted, hasExpansion: word.hasExpansion,
                                                    hasCommandSubstitution: word.hasCommandSubstitution))
                    variables[name] = value
                    noteAssignment(name: name, value: ShellWord(text: value), standalone: true)
                }
            case "set":
                if args.isEmpty { add(.sensitiveRead, "dumps all shell variables (set)") }
            case "compgen":
                if args.contains("-v") || args.contains("-e") { add(.sensitiveRead, "lists variables (compgen)") }
            default:
                break
            }
            return true
        case "echo", "printf", "print", "write-output", "write-host", "say":
            family(p, nil)
            for word in a.words where word.hasExpansion {
                for name in ShellAnalyzer.variableNames(in: word.text) where ShellAnalyzer.looksSecret(name) {
                    add(.sensitiveRead, "prints the secret variable $\(name)")
                }
            }
            if command.fromXargs { return true }
            return true
        case "find", "fd", "fdfind":
            family(p, nil)
            findCommand(command)
            return true
        case _ where ["gzip", "bzip2", "xz", "zstd", "lz4", "pigz"].contains(p) && (a.hasShort("c") || a.has("--stdout", "--to-stdout")):
            // `gzip -c ~/.ssh/id_rsa > k.gz`: reads its files and writes them, compressed, to its output; they stay.
            family(p, nil)
            let inputs = a.positionals(valued: ["-S", "--suffix", "-T", "--threads", "-o"]).map(\.text)
            for input in inputs { file(input, "read", by: p) }
            if !inputs.isEmpty { result.add(.read, "reads \(inputs.map(path).joined(separator: ", ")) with \(p) -c") }
            return true
        case "tar", "zip", "unzip", "7z", "gzip", "gunzip", "bzip2", "xz", "zstd":
            family(p, nil)
            archive(command)
            return true
        case "patch":
            family(p, nil)
            if a.has("--dry-run") { return true }
            let targets = a.positionals(valued: ["-p", "-i", "--input", "-d", "--directory", "-o", "--output", "-r", "-B", "-F", "-V"]).map(\.text)
            for target in targets.prefix(1) { file(target, "write", by: "patch") }
            add(.write, "applies a patch to files (patch)")
            return true
        case "history":
            family(p, nil)
            if a.hasShort("c") || a.has("-w") && a.texts.contains("/dev/null") {
                add(.highRisk, "clears the shell history (history -c)")
            }
            return true
        case "ps":
            if a.texts.contains(where: { !$0.hasPrefix("-") && $0.contains("e") && $0.contains("w") || $0 == "eww" || $0 == "auxe" || $0 == "e" }) {
                add(.sensitiveRead, "shows other processes' environments (ps e)")
            }
            family(p, nil)
            return true
        default:
            if ShellAnalyzer.readers.contains(p) {
                family(p, nil)
                var valued: Set<String> = ["-n", "-c", "--lines", "--bytes", "-Path", "-TotalCount", "-Tail", "-w",
                                           "--width", "-s", "--sleep-interval", "--pid"]
                switch p {
                case "cut": valued.formUnion(["-f", "--fields", "-d", "--delimiter", "-b", "--bytes", "--output-delimiter"])
                case "sort": valued.formUnion(["-k", "--key", "-t", "--field-separator", "-o", "--output", "-S", "-T"])
                case "jq", "yq": valued.formUnion(["--arg", "--argjson", "--slurpfile", "--rawfile", "--indent", "-f", "--from-file"])
                case "column", "paste": valued.formUnion(["-t", "-s", "-d", "-c", "-o"])
                case "diff": valued.formUnion(["-U", "--unified", "-C", "--context", "-x", "--exclude", "-I", "--ignore-matching-lines"])
                // Their `-c` is a format (characters), `-s`, `-n` and `-w` take numbers only for some.
                case "od": valued = ["-j", "-N", "-A", "-t", "-w", "--skip-bytes", "--read-bytes", "--address-radix", "--format", "--width"]
                case "hexdump": valued = ["-e", "-f", "-n", "-s"]
                case "strings": valued = ["-n", "-t", "-e", "--bytes", "--radix", "--encoding"]
                default: break
                }
                let positionals = a.positionals(valued: valued).map(\.text)
                var files = positionals
                if p == "jq" || p == "yq" { files = Array(files.dropFirst()) }   // the filter
                files += a.values("-Path", "--rawfile", "--slurpfile")
                if command.fromXargs {
                    // `find DIR | xargs cat` reads every file under DIR.
                    let listed = upstreamPaths(upstreamAll)
                    let recursive = upstreamAll.contains { $0.program == "find" || $0.program == "fd" }
                    for target in listed { file(target, "read", by: p, recursive: recursive) }
                    if !listed.isEmpty, files.isEmpty { result.add(.read, "reads \(listed.map(path).joined(separator: ", ")) with \(p)") }
                }
                for target in files where target != "-" { file(target, "read", by: p) }
                if !files.isEmpty { result.add(.read, "reads \(files.map(path).joined(separator: ", ")) with \(p)") }
                return true
            }
            return false
        }
    }

    /// Paths named by upstream commands of a pipeline (`find DIR … | xargs rm`, `ls DIR | xargs rm`).
    func upstreamPaths(_ upstream: [ResolvedCommand]) -> [String] {
        var out: [String] = []
        for command in upstream where ["find", "ls", "fd", "git", "echo", "printf"].contains(command.program) {
            if command.program == "find" {
                out += ShellAnalyzer.findMatches(command.args.words)
            } else if command.program == "ls" || command.program == "echo" || command.program == "printf" {
                out += command.args.positionals().map(\.text)
            }
        }
        return out
    }

    /// What `find` lists: under each root (`.` when none), the files its `-name`/`-iname` pattern matches
    /// (`./**/*.log`), else the roots themselves.
    static func findMatches(_ words: [ShellWord]) -> [String] {
        let roots = words.prefix { !$0.text.hasPrefix("-") && $0.text != "(" && $0.text != "!" }.map(\.text)
        let searched = roots.isEmpty ? ["."] : roots
        let pattern = words.firstIndex { $0.text == "-name" || $0.text == "-iname" }
            .flatMap { $0 + 1 < words.count ? words[$0 + 1].text : nil }
        return searched.map { root in pattern.map { (root.hasSuffix("/") ? root : root + "/") + "**/" + $0 } ?? root }
    }

    /// `find DIR … -delete`, `-exec CMD {} \;`, `-execdir`, `-ok`.
    mutating func findCommand(_ command: ResolvedCommand) {
        let words = command.args.words
        let roots = words.prefix { !$0.text.hasPrefix("-") && $0.text != "(" && $0.text != "!" }.map(\.text)
        let searched = roots.isEmpty ? ["."] : roots
        let matches = ShellAnalyzer.findMatches(words)
        var index = 0
        while index < words.count {
            let text = words[index].text
            if text == "-delete" {
                // What is deleted: the files matching the name pattern under each root, not the roots.
                for match in matches { file(match, "delete", by: "find -delete") }
                add(.delete, "deletes what find matches under \(searched.map(path).joined(separator: ", ")) (find -delete)")
            } else if text == "-exec" || text == "-execdir" || text == "-ok" || text == "-okdir" {
                var argv: [ShellWord] = []
                index += 1
                while index < words.count, words[index].text != ";" && words[index].text != "+" && words[index].text != "\\;" {
                    var word = words[index]
                    if word.text == "{}" || word.text.contains("{}") {
                        // Each file find matches (`./**/*.log`), not the directory it searches.
                        word.text = word.text.replacingAll("{}", with: matches.first ?? ".")
                    }
                    argv.append(word)
                    index += 1
                }
                // With no name test, `{}` is every file under the roots: a reader given one reads them all.
                let saved = readsRecursively
                readsRecursively = !words.contains { ["-name", "-iname", "-path", "-ipath", "-regex", "-iregex", "-wholename"].contains($0.text) }
                nested(argv: argv, origin: "find \(text)")
                readsRecursively = saved
            } else if text == "-fprint" || text == "-fprintf" || text == "-fls" {
                if index + 1 < words.count { file(words[index + 1].text, "write", by: "find \(text)") }
            }
            index += 1
        }
    }

    /// tar, zip, unzip, gzip: what is read and what is written.
    mutating func archive(_ command: ResolvedCommand) {
        let p = command.program
        let a = command.args
        switch p {
        case "tar":
            // The operation letters may come as the first word without a dash (`tar czf x.tgz src`) or in any short-option
            // cluster (`tar -C /srv -xf x.tar`); `f` takes the next word (or the rest of its cluster: `-fx.tar`).
            let words = a.texts
            var letters = ""
            var archiveFile = a.value("--file")
            var skip: Set<Int> = []
            for (index, text) in words.enumerated() {
                if index == 0, !text.hasPrefix("-"), !text.isEmpty, text.allSatisfy({ $0.isLetter }) {
                    letters += text
                    skip.insert(0)
                    if text.contains("f"), words.count > 1 { archiveFile = words[1]; skip.insert(1) }
                } else if text.hasPrefix("-"), !text.hasPrefix("--"), text.count > 1 {
                    let cluster = text.dropFirst()
                    guard let f = cluster.firstIndex(of: "f") else {
                        if cluster.allSatisfy({ $0.isLetter }) { letters += cluster }
                        continue
                    }
                    letters += cluster[..<f] + "f"
                    let attached = cluster[cluster.index(after: f)...]
                    if !attached.isEmpty {
                        archiveFile = String(attached)
                    } else if index + 1 < words.count {
                        archiveFile = words[index + 1]
                        skip.insert(index + 1)
                    }
                }
            }
            let creates = letters.contains("c") || letters.contains("r") || letters.contains("u") || a.has("--create", "--append", "--update")
            let extracts = letters.contains("x") || a.has("--extract", "--get")
            let valued: Set<String> = ["-C", "--directory", "-T", "--files-from", "-X", "--exclude-from", "--exclude", "--file", "-I",
                                       "--use-compress-program", "-b", "--blocking-factor", "--owner", "--group", "--mode", "-V", "--label"]
            var positionals: [String] = []
            var index = 0
            while index < words.count {
                let text = words[index]
                if skip.contains(index) || text.hasPrefix("-") {
                    if valued.contains(text) { index += 1 }
                } else {
                    positionals.append(text)
                }
                index += 1
            }
            // `--checkpoint-action=exec=CMD`, `--to-command=CMD`, `--use-compress-program=CMD`: tar runs a command.
            for option in words {
                for prefix in ["--checkpoint-action=exec=", "--to-command=", "--use-compress-program=", "-I"] where option.hasPrefix(prefix) && option.count > prefix.count {
                    let inner = String(option.dropFirst(prefix.count))
                    if prefix == "-I" || prefix == "--use-compress-program=", ["gzip", "bzip2", "xz", "zstd", "pigz", "lz4", "lzma", "lzip"].contains(ShellAnalyzer.basename(inner.split(separator: " ").first.map(String.init) ?? "")) { continue }
                    if prefix == "--checkpoint-action=exec=" { add(.highRisk, "runs a command from tar (\(prefix.dropLast())…)") }
                    nested(inner, origin: "tar \(prefix.dropLast())")
                }
            }
            if creates {
                if let archiveFile, archiveFile != "-" { file(archiveFile, "write", by: "tar"); add(.write, "writes the archive \(path(archiveFile))") }
                // The files are named from the directory `-C` moves to (`tar czf k.tgz -C ~ .ssh .aws`).
                let base = a.value("-C", "--directory")
                for item in positionals {
                    let named = base.map { item.hasPrefix("/") || item.hasPrefix("~") ? item : ($0.hasSuffix("/") ? $0 : $0 + "/") + item } ?? item
                    file(named, a.has("--remove-files") ? "delete" : "copy", by: "tar")
                }
                if a.has("--remove-files") { add(.delete, "deletes the files it archives (tar --remove-files)") }
            } else if extracts {
                let destination = a.value("-C", "--directory") ?? "."
                file(destination, "write", by: "tar")
                add(.write, "extracts into \(path(destination))")
                if let archiveFile, archiveFile != "-" { file(archiveFile, "read", by: "tar") }
            }
        case "unzip", "7z":
            // unzip's `-d DIR` (its `-o` overwrites and takes no value); 7z's `-oDIR`, written as one word.
            let destination = p == "unzip" ? a.value("-d")
                : a.texts.first { $0.hasPrefix("-o") && $0.count > 2 }.map { String($0.dropFirst(2)) }
            if let destination {
                file(destination, "write", by: p)
                add(.write, "extracts into \(path(destination))")
            } else if p == "unzip" && !a.hasShort("l") && !a.hasShort("t") {
                add(.write, "extracts into the current directory (\(p))")
            }
        case "zip":
            let positionals = a.positionals(valued: ["-x", "-i", "-P", "--password"]).map(\.text)
            if let zipFile = positionals.first {
                file(zipFile, "write", by: "zip")
                add(.write, "writes the archive \(path(zipFile))")
                for item in positionals.dropFirst() { file(item, "copy", by: "zip") }
            }
        default:
            for item in a.positionals().map(\.text) { file(item, "write", by: p) }
            if !a.positionals().isEmpty && !a.hasShort("c") && !a.hasShort("t") && !a.hasShort("l") {
                add(.write, "compresses or decompresses files in place (\(p))")
            }
        }
    }

    /// Variable names referenced in a word (`$A`, `${B}`, `${C:-x}`).
    static func variableNames(in text: String) -> [String] {
        var names: [String] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == "$" && i + 1 < chars.count {
                var j = i + 1
                if chars[j] == "{" { j += 1 }
                let start = j
                while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_") { j += 1 }
                if j > start { names.append(String(chars[start..<j])) }
                i = j
            } else {
                i += 1
            }
        }
        return names
    }

    /// Whether a variable's name says it holds a secret, judged by its words (`GITHUB_TOKEN`, `OPENAI_API_KEY`,
    /// `DB_PASSWORD`, `DATABASE_URL`): not `TOKENIZERS_PARALLELISM`, `GIT_AUTHOR_NAME`, `NODE_TLS_REJECT_UNAUTHORIZED`,
    /// nor a variable that holds where a secret is (`SSH_AUTH_SOCK`, `AWS_SHARED_CREDENTIALS_FILE`,
    /// `GOOGLE_APPLICATION_CREDENTIALS`).
    static func looksSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        let words = upper.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        guard let last = words.last else { return false }
        if ["SOCK", "SOCKET", "FILE", "PATH", "DIR", "HOME", "FILES"].contains(last) || upper == "GOOGLE_APPLICATION_CREDENTIALS" {
            return false
        }
        let secretWords: Set<String> = ["SECRET", "SECRETS", "TOKEN", "TOKENS", "PASSWORD", "PASSWD", "PASS", "PASSPHRASE", "PASSCODE",
                                        "DSN", "WEBHOOK", "AUTH", "APIKEY", "CREDENTIAL", "CREDENTIALS", "PRIVATEKEY", "COOKIE", "PAT",
                                        "JWT", "BEARER", "OTP", "PWD"]
        let pairs: [(String, String)] = [("PRIVATE", "KEY"), ("API", "KEY"), ("ACCESS", "KEY"), ("SESSION", "KEY"), ("SIGNING", "KEY"),
                                         ("ENCRYPTION", "KEY"), ("MASTER", "KEY"), ("SECRET", "KEY"), ("DATABASE", "URL"), ("DB", "URL"),
                                         ("CONNECTION", "STRING"), ("MONGODB", "URI"), ("REDIS", "URL"), ("SERVICE", "KEY")]
        for (index, word) in words.enumerated() {
            if secretWords.contains(word) && !(word == "PWD" && words.count == 1) { return true }
            // `APITOKEN`, `GHTOKEN`, `ADMINPASSWORD`, `CLIENTSECRET`: a word ending in one.
            if ["TOKEN", "SECRET", "PASSWORD"].contains(where: { word.hasSuffix($0) && word.count > $0.count }) { return true }
            if index + 1 < words.count, pairs.contains(where: { $0.0 == word && $0.1 == words[index + 1] }) { return true }
        }
        return false
    }

    static let scriptExtensions = [".sh", ".bash", ".py", ".js", ".ts", ".rb", ".ps1", ".bat", ".cmd", ".pl"]

    /// The lowercased name of a script the command runs by its path or its extension (`./ci/deploy.sh` → `deploy`), without
    /// the extension; nil for a program run by name (`test`, `Test-Path`).
    static func scriptStem(_ written: String) -> String? {
        let name = basename(written).lowercased()
        let hasExtension = scriptExtensions.contains { name.hasSuffix($0) }
        guard written.utf8.contains(UInt8(ascii: "/")) || hasExtension else { return nil }
        return scriptExtensions.reduce(name) { $0.hasSuffix($1) ? String($0.dropLast($1.count)) : $0 }
    }

    /// A test script by name (`./test.sh`, `scripts/run_tests.py`, `ci/test`), not the shell
    /// builtins `test`/`[` nor cmdlets like `Test-Path`.
    static func isTestScript(_ path: String) -> Bool {
        guard let stem = scriptStem(path) else { return false }
        return stem == "test" || stem == "tests" || stem.hasPrefix("test_") || stem.hasPrefix("test-") || stem.hasSuffix("_test")
            || stem.hasSuffix("-test") || stem.hasPrefix("run_tests") || stem.hasPrefix("run-tests") || stem == "runtests"
    }
    /// Remembers a symbolic link the line made (`ln -s TARGET LINK`), for the paths through it later in the line. A
    /// relative target is relative to the link's directory; a link named with a trailing slash lands inside it.
    mutating func recordSymlink(_ source: String, at destination: String) {
        guard !source.isEmpty, !destination.isEmpty, !source.hasPrefix("$"), !destination.hasPrefix("$") else { return }
        var link = path(destination.hasSuffix("/") ? destination + ShellAnalyzer.basename(source) : destination)
        while link.count > 1 && link.hasSuffix("/") { link.removeLast() }
        let directory = link.lastIndex(of: "/").map { String(link[..<$0]) }.map { $0.isEmpty ? "/" : $0 }
        var target = source.hasPrefix("/") || source.hasPrefix("~") ? path(source)
            : PathNormalizer.absolute(source, cwd: directory ?? context.cwd, home: context.home)
        while target.count > 1 && target.hasSuffix("/") { target.removeLast() }
        guard target.hasPrefix("/"), link != target, !target.hasPrefix(link + "/") else { return }
        symlinks[link] = target
    }
}
