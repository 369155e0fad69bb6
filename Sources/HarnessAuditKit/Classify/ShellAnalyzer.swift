/// Classifies a shell command line: parses it with `ShellParser`, finds the real command
/// behind prefixes, follows nested scripts, and applies the program rules.
struct ShellAnalyzer {
    /// The context; its working directory follows `cd` and `pushd` within the command line.
    var context: ClassificationContext
    var result = Classification()
    /// Where the commands being analysed run, innermost last (`bash -c`, `ssh prod-db`).
    var origins: [String] = []
    /// A remote host the current nested script runs on (paths there are not local paths).
    var remoteHost: String?
    var depth = 0
    /// Files downloaded earlier in the same command line (`curl -o x.sh … && sh x.sh`).
    var downloaded: Set<String> = []
    /// Files the line wrote with a decoder's output (`base64 -d payload.b64 > /tmp/p.sh`): running one runs hidden code.
    var decoded: Set<String> = []
    /// A kube context selected earlier in the same command line.
    var kubeContext: String?
    /// Variables assigned earlier in the same command line or as a prefix (`AWS_PROFILE=prod`).
    var variables: [String: String] = [:]
    /// Whether the line may set any variable otherwise than by literal assignments (`source`, `eval`, `IFS=`).
    var variablesUncertain = false
    /// Variables the line sets otherwise than by a literal assignment (`read NAME`, `for NAME in`, `mapfile NAME`).
    var uncertainNames: Set<String> = []
    /// Symbolic links the line made, by the link's absolute path: the absolute path each points to
    /// (`ln -s /etc/cron.d d && echo … > d/job` writes `/etc/cron.d/job`).
    var symlinks: [String: String] = [:]
    /// Git aliases defined earlier in the line (`git config alias.p push`).
    var gitAliases: [String: String] = [:]
    /// Shell aliases defined earlier in the line (`alias del='rm -rf'`).
    var shellAliases: [String: String] = [:]
    /// The working directory to return to when a `( … )` subshell that changed it ends, by subshell number.
    var subshellDirectories: [(subshell: Int, cwd: String?)] = []
    /// `pushd`'s directory stack.
    var pushedDirectories: [String?] = []
    /// Where the line was before its last move (`cd -` goes back there); nil until it moves.
    var previousDirectory: String??
    /// Written scripts being run (a script that runs itself is followed once).
    var scriptsRunning: Set<String> = []
    /// The values a `for NAME in a b c` loop of the line gives its variable, when they are literal words: a command that
    /// uses the variable is analysed once with each.
    var loopValues: [String: [String]] = [:]
    static let loopValueLimit = 16
    /// Loop variables whose values are globs (`for f in ~/.ssh/*`): each value stands for the files it matches as an
    /// argument, but what runs when one is the command word is not known.
    var globLoopNames: Set<String> = []
    /// The command being run only lists its tests (`pytest --collect-only`): no test runs.
    var listsTestsOnly = false
    /// The command reads each file under a directory it is given (`find DIR -exec cat {} +`, `find DIR | xargs cat`).
    var readsRecursively = false
    /// Shell functions the line defined, by name: their bodies' text, analysed again at each call.
    var functions: [String: String] = [:]
    /// The functions being called (a function that calls itself is followed once).
    var functionsRunning: Set<String> = []
    /// The arguments of the function call being analysed (`$1`, `"$@"`); nil outside a call.
    var positional: [ShellWord]?

    /// The working directory and its stacks, saved around a script that runs in a shell of its own (a nested
    /// `bash -c`, a `$(…)`, an argv run by `find -exec`): its `cd`, `pushd` and subshells end with it.
    var directories: (cwd: String?, subshells: [(subshell: Int, cwd: String?)], pushed: [String?]) {
        get { (context.cwd, subshellDirectories, pushedDirectories) }
        set { (context.cwd, subshellDirectories, pushedDirectories) = newValue }
    }

    static let maximumDepth = 6

    /// The branch the line started on (`context.branch` follows `git checkout` and `git switch`), and the
    /// directory (a switch after a `cd` is another repository's, most likely).
    let startBranch: String?
    let startCwd: String?
    /// Branches the line knows exist: the one it started on, the one before it, those it created.
    var knownBranches: Set<String> = []
    /// Test runs and pushes (or merges, or pull requests opened) seen so far, to tell whether a line's tests
    /// guard its push (`npm test && git push`) or not (`git push && npm test`, `npm test; git push`).
    var testRuns = 0
    var pushes = 0
    /// The command being resolved pipes into a search for something that is not a secret (`env | grep NODE_ENV`,
    /// `printenv | grep -c .`): an environment dump then shows no secret.
    var environmentFiltered = false

    init(context: ClassificationContext) {
        self.context = context
        kubeContext = context.kubeContext
        startBranch = context.branch
        startCwd = context.cwd
        knownBranches = Set([context.branch, context.previousBranch].compactMap { $0 })
    }

    /// Classifies a command line.
    static func classify(_ text: String, context: ClassificationContext) -> Classification {
        guard context.nesting < ClassificationContext.maximumNesting else {
            var result = Classification()
            result.add(.obfuscated, "scripts nested too deeply to analyse")
            result.add(.highRisk, "hides what it runs in scripts nested too deeply to analyse")
            return result
        }
        var context = context
        context.nesting += 1
        var analyzer = ShellAnalyzer(context: context)
        analyzer.analyze(text: text)
        analyzer.finish()
        // A harness's own settings written by the line (`printf 'approval_policy = "never"' > ~/.codex/config.toml`).
        for target in analyzer.result.targets where target.kind == .path && target.operation == "write" {
            guard let harness = HarnessSettingsFile.harness(of: target.value) else { continue }
            if let setting = HarnessSettingsFile.loosening(text) {
                analyzer.result.add(.privilege, "writes \(harness)'s own settings \(target.value) to loosen approvals (\(setting))")
                break
            }
            // Rewritten in place by `sed` to a loosening value: `sed -i 's/on-request/never/' ~/.codex/config.toml`.
            let lower = text.lowercased().replacingAll("disablebypasspermissionsmode", with: "")
            if analyzer.result.commandFamilies.contains("sed"),
               ["never", "danger-full-access", "bypasspermissions", "yolo"].contains(where: { lower.containsASCII($0) }) {
                analyzer.result.add(.privilege, "rewrites \(harness)'s own settings \(target.value) with sed to loosen approvals")
                break
            }
        }
        return analyzer.result
    }

    /// Records state that outlives the command (the kube context and the branch it selected).
    mutating func finish() {
        if let kubeContext, kubeContext != context.kubeContext { result.selectedKubeContext = kubeContext }
        if context.branch != startBranch {
            result.selectedBranch = context.branch ?? ""
            result.branchBefore = context.previousBranch
            result.branchDirectory = startCwd
        }
    }

    /// Classifies an argv vector (Codex `["bash","-lc","…"]`, `local_shell` actions).
    static func classify(argv: [String], context: ClassificationContext) -> Classification {
        guard context.nesting < ClassificationContext.maximumNesting else { return Classification() }
        var context = context
        context.nesting += 1
        var analyzer = ShellAnalyzer(context: context)
        var command = ShellCommand()
        command.words = argv.map { ShellWord(text: $0, plainPrefix: $0.utf8.count) }
        analyzer.analyze(commands: [command])
        analyzer.finish()
        return analyzer.result
    }

    mutating func analyze(text: String) {
        // Something in the line sets variables otherwise than by a literal assignment: their values are not known. Any
        // variable after `source`, `eval` or a new `IFS`; only the ones named after `read`, `for`, `mapfile` and the like.
        if ["IFS=", "source ", ". ./", "eval "].contains(where: { text.containsASCII($0) }) {
            variablesUncertain = true
        }
        if ["read", "for ", "mapfile", "readarray", "printf -v", "declare ", "typeset ", "getopts"].contains(where: { text.containsASCII($0) }) {
            uncertainNames.formUnion(ShellAnalyzer.namesSetOtherwise(text))
            if text.containsASCII("for ") {
                loopValues.merge(ShellAnalyzer.literalLoops(text)) { Array(($0 + $1).prefix(ShellAnalyzer.loopValueLimit)) }
            }
        }
        if text.containsASCII(":|:&") || text.containsASCII(":|: &") || text.containsASCII("(){ :|:") {
            add(.highRisk, "defines a fork bomb")
        }
        let script = ShellParser.parse(text)
        functions.merge(script.functions) { $1 }
        for problem in script.problems { result.note("shell parse: \(problem)") }
        if !script.problems.isEmpty && script.commands.isEmpty {
            result.add(.obfuscated, "the command line could not be parsed (\(script.problems[0]))")
        }
        analyze(script: script)
    }

    mutating func analyze(script: ShellScript) {
        if script.problems.contains(ShellParser.tooDeep) {
            add(.obfuscated, "command substitutions nested too deeply to analyse")
            add(.highRisk, "hides what it runs in command substitutions nested too deeply to analyse")
        }
        // Substitutions are analysed after the commands, so with the directory the line started in: most run
        // before any `cd` of the line does (`H=$(cat ../x); cd /srv && …`).
        let start = context.cwd
        analyze(commands: script.commands)
        let end = directories
        for substitution in script.substitutions {
            origins.append("$(…)")
            directories = (start, [], end.pushed)
            analyze(script: substitution)
            origins.removeLast()
        }
        directories = end
    }

    var originSuffix: String {
        origins.isEmpty ? "" : " (inside " + origins.reversed().joined(separator: " inside ") + ")"
    }

    /// Adds a class with the reason, noting where the command runs.
    mutating func add(_ cls: ActionClasses, _ reason: String) {
        result.add(cls, reason + originSuffix)
        if cls.contains(.sensitiveRead) {
            // Keep the command that read secret material as a secret target (`printenv`, `vault kv get`), so
            // rules see it under any baseline even when no path or secret name says what was read.
            result.target(ActionTarget(.secret, result.commandFamilies.last ?? "secret", operation: "read"))
        }
    }

    // MARK: Paths

    /// A path argument made absolute. On a remote host the path is prefixed `host:`.
    func path(_ raw: String) -> String {
        if let remoteHost { return remoteHost + ":" + raw }
        let absolute = PathNormalizer.absolute(raw, cwd: context.cwd, home: context.home)
        // A path through a link the line made is a path where the link points (the link itself is a file of its own:
        // `rm d` removes the link).
        guard !symlinks.isEmpty else { return absolute }
        var resolved = absolute
        for _ in 0..<8 {
            guard let (link, target) = symlinks.filter({ resolved.hasPrefix($0.key + "/") }).max(by: { $0.key.count < $1.key.count })
            else { break }
            resolved = target + resolved.dropFirst(link.count)
        }
        return resolved
    }

    /// Programs that write a file's metadata, not its content (or, `tee`, content the line states).
    static let contentKeeping: Set<String> = ["chmod", "chown", "chgrp", "touch", "setfacl", "chattr", "tee"]

    /// Records a file target; `read` targets are checked against the sensitive paths.
    /// `recursive`: the program reads everything under the path when it is a directory (`grep -r`, `rg`).
    mutating func file(_ raw: String, _ operation: String, by program: String, recursive: Bool = false) {
        guard !raw.isEmpty else { return }
        var resolved = path(raw)
        let reading = operation == "read" || operation == "copy" || operation == "upload"
        // Reading a link the line made reads the file it points to (`ln -s ~/.aws/credentials c && cat c`).
        if reading, !symlinks.isEmpty, let target = symlinks[resolved] { resolved = target }
        let recursive = recursive || reading && readsRecursively
        if operation == "write" || operation == "delete" {
            if PathNormalizer.isPseudoFile(resolved) { return }
        }
        result.target(ActionTarget(.path, resolved, operation: operation))
        // A script the session wrote, changed by a program whose new content the line does not say (`sed -i`,
        // `cp safe.sh x.sh`, `git restore x.sh`) or deleted: what it holds is no longer known. Modes and times change
        // no content; a redirection or `tee` says what it writes (`scriptWritten`).
        if operation == "write" || operation == "delete", context.scripts[resolved] != nil,
           !ShellAnalyzer.contentKeeping.contains(program), !program.hasPrefix("redirection") {
            let change = ScriptChange(path: resolved, kind: .unknown)
            result.scriptChanges.append(change)
            ScriptFiles.apply([change], to: &context.scripts)
        }
        // Appending (`>> /var/log/app.log`) adds to a log; it alters nothing already in it.
        let appends = program.hasPrefix("redirection") && program.hasSuffix(">>")
        if operation == "delete" || operation == "write" && !appends, remoteHost == nil, let trail = SensitivePaths.auditTrail(resolved, home: context.home, deleting: operation == "delete") {
            add(.highRisk, "\(program) \(operation == "delete" ? "deletes" : "alters") \(resolved), \(trail) (covers its tracks)")
        }
        if operation == "write" {
            // On another machine (`ssh host 'echo … >> ~/.ssh/authorized_keys'`) the path is that machine's: a relative
            // one starts from the login's home there.
            let own = remoteHost == nil ? resolved : raw.hasPrefix("/") || raw.hasPrefix("~") ? raw : "~/" + raw
            if SensitivePaths.grantsRoot(own) {
                add(.privilege, "\(program) writes \(resolved), which says who may act as root")
            }
            if let what = SensitivePaths.persistence(own, home: remoteHost == nil ? context.home : nil) {
                add(.highRisk, "\(program) writes \(resolved), \(what) (persistence: it outlasts the session)")
            }
        }
        guard operation == "read" || operation == "copy" || operation == "upload" else { return }
        // On another machine or in a pod (`ssh host cat /etc/shadow`, `kubectl exec pod -- cat …/token`): its own
        // paths, matched without a home, and named as a secret of that place so rules report it as read.
        if let remoteHost {
            if let pattern = context.policy.sensitivePaths.match(raw, home: nil) {
                result.add(.sensitiveRead, "\(program) reads secret material \(raw) on \(remoteHost) (matches \(pattern))" + originSuffix)
                result.target(ActionTarget(.secret, resolved, operation: "read"))
            }
            return
        }
        if let pattern = context.policy.sensitivePaths.match(resolved, home: context.home) {
            // A path: rules re-check it against the baseline's patterns, so no secret target.
            result.add(.sensitiveRead, "\(program) reads secret material \(resolved) (matches \(pattern))" + originSuffix)
        } else if raw.contains("*") || raw.contains("?") {
            // A glob such as `.env*` or `*.pem`: sensitive when a name it can match is; `~/.aws/*` when the
            // directory it lists holds secret material.
            for variant in [raw.replacingAll("*", with: ""), raw.replacingAll("*", with: "x").replacingAll("?", with: "x")] {
                let candidate = path(variant)
                if let pattern = context.policy.sensitivePaths.match(candidate, home: context.home) {
                    return add(.sensitiveRead, "\(program) reads files matching \(raw), which hold secret material (\(pattern))")
                }
            }
            if let pattern = context.policy.sensitivePaths.globReaches(resolved, home: context.home) {
                return add(.sensitiveRead, "\(program) reads files matching \(raw), which hold secret material (\(pattern))")
            }
            if let slash = raw.lastIndex(of: "/"), !raw[..<slash].contains(where: { $0 == "*" || $0 == "?" }),
               let inside = context.policy.sensitivePaths.sensitiveFileInside(directory: path(String(raw[..<slash])), home: context.home) {
                add(.sensitiveRead, "\(program) reads files matching \(raw), which hold secret material (\(inside.pattern))")
                result.target(ActionTarget(.path, inside.path, operation: "read"))
            }
        } else if operation == "copy" || operation == "upload" || recursive,
                  let inside = context.policy.sensitivePaths.sensitiveFileInside(directory: resolved, home: context.home) {
            add(.sensitiveRead, "\(program) \(recursive ? "searches" : "copies") \(resolved), which holds secret material (\(inside.pattern))")
            result.target(ActionTarget(.path, inside.path, operation: "read"))
        }
    }

    // MARK: Commands

    mutating func analyze(commands: [ShellCommand]) {
        // Per pipeline of the line (or of a nested script): whether it ran tests, whether it pushed, and the operator after it.
        var steps: [(tests: Bool, pushes: Bool, separator: String)] = []
        var firstWords: [[String]] = []
        var pipedTests: Set<Int> = []
        // A function's body runs where the function is called, with the call's arguments: its commands are analysed there.
        // The body of a function the line defines but never calls is analysed where it stands (it may run later).
        let called = functions.isEmpty ? [] : Set(commands.compactMap { command in command.words.first.flatMap { $0.quoted ? nil : $0.text } })
        var index = 0
        while index < commands.count {
            // Collect the pipeline this command belongs to.
            let pipeline = commands[index].pipeline
            var end = index
            while end < commands.count && commands[end].pipeline == pipeline { end += 1 }
            if let function = commands[index].function, called.contains(function), functions[function] != nil {
                index = end
                continue
            }
            let members = Array(commands[index..<end])
            let (tests, pushed) = (testRuns, pushes)
            if loopValues.isEmpty {
                analyze(pipeline: members)
            } else {
                analyzeOverLoops(members)
            }
            steps.append((testRuns > tests, pushes > pushed, members.last?.separator ?? ""))
            // `pytest | tail -20`: the pipeline's status is its last command's, a filter's, not the tests'.
            if testRuns > tests, members.count > 1, let last = members.last?.words.first.map({ ShellAnalyzer.basename($0.text) }),
               ShellAnalyzer.outputFilters.contains(last) {
                pipedTests.insert(steps.count - 1)
            }
            // `! cmd` inverts the pipeline's status: marked for the exit-status reckoning below.
            firstWords.append((members.first?.negated == true ? ["!"] : []) + (members.first?.words.map(\.text) ?? []))
            index = end
        }
        testsGuardPushes(steps)
        testsMasked(steps, next: firstWords, piped: pipedTests)
    }

    /// Commands a test run's output is piped through to shorten or search it: they end well whatever the tests did.
    static let outputFilters: Set<String> = ["tail", "head", "tee", "cat", "less", "more", "grep", "egrep", "rg", "sed", "awk",
                                             "cut", "sort", "uniq", "wc", "column", "tr", "nl", "fold", "ts", "sponge", "ansi2txt",
                                             "jq", "strip-ansi", "cat -v"]

    /// A line whose success does not show that any of its test runs passed (`npm test || true`, `pytest; echo done`,
    /// `go test ./... & wait`) is not a test: for each test run, the line's exit status is worked out as the shell
    /// would with that run failing and the other commands doing what they say (`true`, `:`, `echo`, `printf`, `wait`
    /// succeed, `false` fails, `exit N`; other commands leave the status as it was; a pipeline ends as its test run
    /// does). If every test run's failure can end in success, the line proves nothing about the tests.
    mutating func testsMasked(_ steps: [(tests: Bool, pushes: Bool, separator: String)], next firstWords: [[String]],
                              piped: Set<Int> = []) {
        guard result.classes.contains(.test), steps.contains(where: \.tests) else { return }
        // `set -o pipefail`: a pipeline fails when its test run does, whatever it is piped through.
        let pipefail = firstWords.contains { $0.first == "set" && $0.contains("pipefail") }
        // A test run piped through a filter (`pytest -q | tail -20`) ends as the filter does: its failure is hidden.
        if !pipefail, let index = piped.sorted().first {
            result.remove(.test, note: "its tests' failure is hidden by the pipe (\(firstWords[index].joined(separator: " ")) | …: the line "
                          + "ends as its last command does; `set -o pipefail` would show it)")
            return
        }
        // `set -e` (or `-o errexit`) ends the line at a failed test run: nothing after it can hide the failure.
        if firstWords.contains(where: { $0.first == "set" && $0.dropFirst().contains { $0 == "-e" || $0 == "errexit" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("e")) } }) {
            return
        }
        func exitStatus(failing: Int) -> Int {
            var status = 0, backgroundFailed = false
            for index in steps.indices {
                if index > 0 {
                    let separator = steps[index - 1].separator
                    if separator == "&&" && status != 0 || separator == "||" && status == 0 { continue }
                }
                let negated = firstWords[index].first == "!"
                let words = negated ? Array(firstWords[index].dropFirst()) : firstWords[index]
                let program = words.first.map(ShellAnalyzer.basename) ?? ""
                if program == "exit" { return words.count > 1 ? Int(words[1]) ?? 1 : status }
                if index == failing || program == "false" {
                    status = 1
                } else if program == "wait" && words.count > 1 {
                    status = backgroundFailed ? 1 : 0   // `wait $!` returns the job's own status
                } else if ["true", ":", "echo", "printf", "wait"].contains(program) {
                    status = 0
                } else if steps[index].tests {
                    status = 0
                }
                // Another command after a failed test run (`npm test; npm run lint`) is taken to end as the line's tests
                // did: the line is no proof either way, and its tests count.
                if negated { status = status == 0 ? 1 : 0 }
                if steps[index].separator == "&" {   // sent to the background: the line goes on
                    backgroundFailed = backgroundFailed || status != 0
                    status = 0
                }
            }
            return status
        }
        let tests = steps.indices.filter { steps[$0].tests }
        guard tests.allSatisfy({ exitStatus(failing: $0) == 0 }) else { return }
        let shown = steps.indices.filter { !steps[$0].tests }.map { "\(steps[$0 > 0 ? $0 - 1 : $0].separator) \(firstWords[$0].joined(separator: " "))" }
        result.remove(.test, note: "its tests' failure is hidden (\(shown.first ?? "the line ends well whatever they return"))")
    }

    /// A line that tests and pushes counts as tested only when a test run guards every push: it comes before
    /// the push, joined to it by `&&` alone, so the push runs only if the tests passed. Otherwise
    /// (`git push && npm test`, `npm test; git push`, `npm test || git push`) its test runs are no evidence
    /// for its push: the line is not a test.
    mutating func testsGuardPushes(_ steps: [(tests: Bool, pushes: Bool, separator: String)]) {
        guard steps.contains(where: \.tests), steps.contains(where: \.pushes), result.classes.contains(.test) else { return }
        for (index, step) in steps.enumerated() where step.pushes {
            if step.tests { continue }   // in one pipeline or nested script: the order is not known
            var guarded = false
            var scan = index - 1
            while scan >= 0, steps[scan].separator == "&&" {
                if steps[scan].tests { guarded = true; break }
                scan -= 1
            }
            if !guarded {
                result.remove(.test, note: "its tests do not guard its push (they run after it, or the push runs whatever they return)")
                return
            }
        }
    }

    mutating func analyze(pipeline: [ShellCommand]) {
        // Leaving a `( … )` subshell: the directory it changed to ends with it.
        if let first = pipeline.first {
            while let scope = subshellDirectories.last, !first.subshells.contains(scope.subshell) {
                context.cwd = scope.cwd
                subshellDirectories.removeLast()
            }
        }
        var resolved: [ResolvedCommand?] = []
        // Which members pipe into a search for no secret (`env | grep NODE_ENV`): their environment dumps show none.
        let filtered = pipeline.indices.map { $0 + 1 < pipeline.count && ShellAnalyzer.searchesForNoSecret(pipeline[$0 + 1]) }
        for (position, command) in pipeline.enumerated() {
            for (name, value) in command.assignments {
                variables[name] = assignedValue(value)
                noteAssignment(name: name, value: value, standalone: command.words.isEmpty)
            }
            redirections(of: command)
            environmentFiltered = filtered[position]
            resolved.append(resolve(command))
            environmentFiltered = false
        }
        let programs = resolved.compactMap { $0?.program }
        if programs.count > 1, programs.contains(where: ShellAnalyzer.networkClients.contains),
           let shell = resolved.compactMap({ $0 }).first(where: { ShellAnalyzer.shells.contains($0.program) && !$0.args.texts.contains(where: { $0.hasPrefix("-") && $0.contains("c") && !$0.hasPrefix("--") }) }) {
            add(.highRisk, "connects a shell to a network client in one pipeline (\(programs.joined(separator: " | ")), reverse shell pattern)")
            _ = shell
        }
        for (position, command) in resolved.enumerated() {
            guard let command else { continue }
            let upstream = position > 0 ? resolved[position - 1] : nil
            let upstreamAll = resolved[..<position].compactMap { $0 }
            environmentFiltered = filtered[position]
            run(command, stdin: upstream, upstreamAll: upstreamAll, source: pipeline[position])
            environmentFiltered = false
        }
        // `cd DIR && …`, `cd DIR; …`: what follows runs in DIR (not when piped or sent to the background with `&`:
        // those run in subshells).
        if pipeline.count == 1, pipeline[0].separator != "&", let command = resolved[0],
           ["cd", "pushd", "popd"].contains(command.program) {
            if let subshell = pipeline[0].subshells.last, subshellDirectories.last?.subshell != subshell {
                subshellDirectories.append((subshell, context.cwd))
            }
            changeDirectory(command)
        }
    }

    /// Moves the working directory later commands of the line resolve paths against (`cd`, `pushd`, `popd`).
    /// A directory that cannot be known (`cd "$DIR"`, `pushd +1`, `cd -` before any move in the line) leaves it where
    /// it was; `cd -` after a move in the line goes back.
    mutating func changeDirectory(_ command: ResolvedCommand) {
        guard remoteHost == nil else { return }
        if command.program == "popd" {
            if let previous = pushedDirectories.popLast() { move(to: previous) }
            return
        }
        let operands = command.args.words.filter { !$0.text.hasPrefix("-") && !$0.text.hasPrefix("+") || $0.text == "-" }
        if command.program == "pushd" {
            guard !operands.isEmpty, !command.args.words.contains(where: { $0.text.hasPrefix("+") || $0.text.hasPrefix("-") }) else { return }
            pushedDirectories.append(context.cwd)
        }
        guard let target = operands.first else {
            move(to: context.home ?? "~")   // a bare `cd`: home
            return
        }
        if target.text == "-" {
            if let previous = previousDirectory { move(to: previous) }
            return
        }
        if target.hasExpansion && !(target.text.hasPrefix("$HOME") || target.text.hasPrefix("${HOME}")) { return }
        let directory = PathNormalizer.absolute(target.text, cwd: context.cwd, home: context.home)
        // Absolute, on a Windows drive, or under a home that is not known (`~/.aws`).
        if directory.hasPrefix("/") || directory == "~" || directory.hasPrefix("~/") || PathNormalizer.isWindows(directory) {
            move(to: directory)
        } else if context.cwd.map({ !$0.hasPrefix("/") && !$0.hasPrefix("~") && !PathNormalizer.isWindows($0) }) ?? true,
                  !directory.hasPrefix("$") {
            // The session's directory is not known (OTel exports): the line's paths stay relative, but to where it moved
            // (`cd packages/web && cp a ../server/` writes `packages/server`).
            move(to: directory)
        }
    }

    /// Moves to `directory`, remembering where the line was for `cd -` (the shell's `OLDPWD`).
    mutating func move(to directory: String?) {
        previousDirectory = context.cwd
        context.cwd = directory
    }

    /// Whether `command` searches its input for something that is not a secret, or only counts: `grep NODE_ENV`,
    /// `grep -i ^npm_config`, `grep -c .`. (`grep -i token` still shows secrets.)
    static func searchesForNoSecret(_ command: ShellCommand) -> Bool {
        let words = command.words.map(\.text)
        // A count of the variables (`env | wc -l`) shows none of them.
        if words.first.map(ShellAnalyzer.basename) == "wc" { return true }
        guard let program = words.first.map(ShellAnalyzer.basename), ["grep", "egrep", "fgrep", "rg"].contains(program) else { return false }
        let arguments = words.dropFirst()
        if arguments.contains(where: { ["-c", "--count", "-q", "--quiet", "-l"].contains($0) || $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("c") }) {
            return true
        }
        // A search for settings that are never secrets; anything else (`AWS`, `DB`, `GITHUB`) may show one.
        let pattern = (arguments.first { !$0.hasPrefix("-") } ?? "").uppercased().filter { $0.isLetter || $0 == "_" }
        let benign = ["NODE_ENV", "PATH", "HOME", "SHELL", "LANG", "LC_", "TERM", "EDITOR", "NPM_CONFIG", "JAVA_HOME", "GOPATH",
                      "GOROOT", "PYTHONPATH", "VIRTUAL_ENV", "CONDA", "NVM", "PWD", "USER", "LOGNAME", "DISPLAY", "TZ", "LOG_LEVEL",
                      "DEBUG", "CI", "RAILS_ENV", "RACK_ENV", "APP_ENV", "FLASK_ENV", "PORT", "HOSTNAME", "XDG", "LD_LIBRARY", "PYENV"]
        return !pattern.isEmpty && benign.contains { pattern.hasPrefix($0) } && !ShellAnalyzer.looksSecret(pattern)
    }

    /// Environment assignments that matter on their own (`HISTFILE=/dev/null`, `TF_WORKSPACE=prod`).
    mutating func noteAssignment(name: String, value: ShellWord, standalone: Bool) {
        switch name {
        case "HISTFILE" where value.text.isEmpty || value.text == "/dev/null",
             "HISTSIZE" where value.text == "0", "HISTFILESIZE" where value.text == "0":
            add(.highRisk, "disables shell history (\(name)=\(value.text))")
        case _ where ShellAnalyzer.turnsOffTLS(variable: name, value: value.text):
            add(.highRisk, "turns off TLS certificate checks (\(name)=\(value.text))")
        case "KUBECONFIG", "KUBE_CONTEXT":
            environmentName(value.text, kind: .context, source: name)
        // `NODE_ENV`, `RAILS_ENV`, `APP_ENV` choose how a program builds or runs (`NODE_ENV=production npm run build`), not
        // where it acts: a migration reads `RAILS_ENV` as an argument (`ShellAnalyzer+Data`).
        case "AWS_PROFILE", "TF_WORKSPACE", "CLOUDSDK_CORE_PROJECT", "GOOGLE_CLOUD_PROJECT", "PULUMI_STACK",
             "ENVIRONMENT", "ENV", "STAGE", "DEPLOY_ENV":
            environmentName(value.text, kind: name == "AWS_PROFILE" ? .project : .workspace, source: name)
        case "PGDATABASE", "PGSERVICE", "MYSQL_DATABASE", "DB_NAME", "DATABASE_NAME":
            // `PGDATABASE=shop_prod psql -c …`: the database the client connects to.
            environmentName(value.text, kind: .database, source: name)
        case "DATABASE_URL", "DB_URL", "DB_HOST", "PGHOST", "MYSQL_HOST", "REDIS_URL", "REDIS_HOST", "MONGODB_URI", "MONGO_URL":
            // The database a command is pointed at (`DATABASE_URL=postgres://…@prod-db.internal/app`).
            let host = ShellAnalyzer.urlHost(value.text).map(ShellAnalyzer.hostPart) ?? (name.hasSuffix("HOST") ? value.text : nil)
            if let host, !host.isEmpty { environmentName(host, kind: .host, source: name) }
        default:
            break
        }
    }

    /// Output and input redirections of a command.
    mutating func redirections(of command: ShellCommand) {
        for redirection in command.redirections {
            guard let word = redirection.target else { continue }
            // `D=/etc; echo x >> $D/hosts`: a target made of variables the line assigned is their value.
            let target = word.hasExpansion && !word.hasCommandSubstitution && !variablesUncertain
                ? expandedArgument(word.text) ?? word.text : word.text
            if target.hasPrefix("/dev/tcp/") || target.hasPrefix("/dev/udp/") {
                add(.highRisk, "opens a raw network connection through \(target) (reverse shell pattern)")
                add(.network, "connects to \(target)")
                continue
            }
            if redirection.writesFile, target.hasPrefix("/dev/"), !PathNormalizer.isPseudoFile(target),
               ["sd", "nvme", "hd", "vd", "xvd", "disk", "mmcblk", "md", "dm-", "mapper/"].contains(where: { target.dropFirst(5).hasPrefix($0) }) {
                add(.highRisk, "writes raw data to the device \(target)")
                result.target(ActionTarget(.path, target, operation: "write"))
                continue
            }
            if redirection.writesFile {
                // `curl URL > x.sh`: what a downloader writes to its output is downloaded, as with `-o`.
                if let program = command.words.first.map({ ShellAnalyzer.basename($0.text) }), ["curl", "wget", "fetch", "http"].contains(program),
                   !redirection.op.hasPrefix("2") {
                    downloaded.insert(path(target))
                }
                if !redirection.op.hasPrefix("2"), ShellAnalyzer.decoder(command.words) != nil {
                    decoded.insert(path(target))
                }
                // `: > file`, `> file`, `cat /dev/null > file`: the file is made empty. That destroys a record (a log, a shell's
                // history: a delete); any other file it creates or empties is written (`: > pkg/__init__.py`).
                let words = command.words.map(\.text)
                let lowerTarget = path(target).lowercased()
                let record = SensitivePaths.auditTrail(path(target), home: context.home, deleting: true) != nil
                    || lowerTarget.hasSuffix(".log") || lowerTarget.hasSuffix("history")
                let empties = (redirection.op == ">" || redirection.op == ">|") && !command.closesCompound && record
                    && (words.isEmpty || words == [":"] || words == ["true"] || words == ["cat", "/dev/null"])
                file(target, empties ? "delete" : "write", by: "redirection \(redirection.op)")
                scriptWritten(by: command, to: path(target), appending: redirection.op == ">>")
                tlsConfigWritten(ShellAnalyzer.spelledOutText(command), to: path(target))
                if !PathNormalizer.isPseudoFile(path(target)) {
                    if empties {
                        add(.delete, "empties \(path(target)) by redirection (its content is destroyed)")
                        add(.write, "writes \(path(target)) by redirection \(redirection.op)")
                    } else {
                        add(.write, "writes \(path(target)) by redirection \(redirection.op)")
                    }
                }
            } else if redirection.readsFile {
                file(target, "read", by: "input redirection")
                // `bash < deploy.sh`: a shell with no script operand runs what it reads on standard input.
                if redirection.op == "<", let first = command.words.first, ShellAnalyzer.shells.contains(ShellAnalyzer.basename(first.text)),
                   command.words.dropFirst().allSatisfy({ $0.text.hasPrefix("-") && ($0.text.hasPrefix("--") || !$0.text.contains("c")) }) {
                    runWrittenScript(path(target), as: "\(first.text) < \(target)")
                }
                if !PathNormalizer.isPseudoFile(path(target)) {
                    result.add(.read, "reads \(path(target)) by input redirection")
                }
            }
        }
    }

    // MARK: Resolving the command word

    struct ResolvedCommand {
        var program: String
        var args: CommandArguments
        /// The program as written (`/usr/bin/rm`).
        var written: String
        /// The command runs once per input line (`xargs`): its targets come from the pipe.
        var fromXargs = false
        var assignments: [(String, String)] = []
        var stdinText: String?
        var hasInputRedirection = false
        /// The file `< FILE` feeds to standard input.
        var inputFile: String?
    }

    static let optionsWithValue: [String: Set<String>] = [
        "sudo": ["-u", "-g", "-U", "-C", "-h", "-p", "-r", "-t", "-D", "-R", "-T", "--user", "--group", "--host",
                 "--prompt", "--role", "--type", "--chdir", "--chroot", "--command-timeout", "--other-user"],
        "doas": ["-u", "-C"],
        "env": ["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
        "nice": ["-n", "--adjustment"],
        "ionice": ["-c", "-n", "-p", "-P", "-u", "--class", "--classdata"],
        "timeout": ["-s", "-k", "--signal", "--kill-after"],
        "stdbuf": ["-i", "-o", "-e", "--input", "--output", "--error"],
        "xargs": ["-n", "-I", "-L", "-P", "-d", "-a", "-E", "-s", "-i", "-l", "-e", "--max-args", "--replace",
                  "--max-lines", "--max-procs", "--delimiter", "--arg-file", "--eof", "--max-chars"],
        "watch": ["-n", "--interval", "-q", "--equexit", "--exec"],
        "flock": ["-w", "--timeout", "-E", "--conflict-exit-code"],
        "taskset": [],
        "strace": ["-o", "-p", "-e", "-s", "-u", "-E"],
        "npx": ["-p", "--package", "-c", "--call"],
        "uv": ["--with", "--python", "-p", "--directory", "--project", "--env-file", "--extra", "--group"],
        "conda": ["-n", "--name", "-p", "--prefix"],
        "chrt": [],
    ]

    static let transparentPrefixes: Set<String> = [
        "nohup", "time", "builtin", "exec", "command", "stdbuf", "nice", "ionice", "timeout", "unbuffer",
        "caffeinate", "setsid", "chrt", "taskset", "flock", "strace", "ltrace", "catchsegv", "firejail", "torsocks",
        "proxychains", "proxychains4", "tsocks", "grc", "rlwrap", "numactl", "cpulimit", "script",
        // ShellJS's portable commands (`shx rm -rf build`, `shx cp`).
        "shx",
    ]

    static let secretInjectors: [String: String] = [
        "op": "run", "doppler": "run", "infisical": "run", "aws-vault": "exec", "chamber": "exec", "dotenv": "",
        "sops": "exec-env", "teller": "run", "envchain": "",
    ]

    /// Takes the leading `NAME=value` words (as `env` and `sudo` accept them before the command) off `words`.
    mutating func takeAssignments(_ words: inout [ShellWord], into assignments: inout [(String, String)]) {
        while let head = words.first, let equals = head.text.firstIndex(of: "="), equals != head.text.startIndex,
              !head.text.hasPrefix("-") {
            let key = String(head.text[..<equals])
            let value = ShellWord(text: String(head.text[head.text.index(after: equals)...]))
            variables[key] = value.text
            assignments.append((key, value.text))
            noteAssignment(name: key, value: value, standalone: false)
            words.removeFirst()
        }
    }

    /// Finds the real command behind prefixes. Returns nil when nothing runs.
    mutating func resolve(_ command: ShellCommand) -> ResolvedCommand? {
        var words = command.words
        // `NS=prod; kubectl -n $NS delete …`, `D=/srv/data; rm -rf "$D"`: an argument made of variables the line itself
        // assigned plainly is their value (only when nothing else in the line may set them: `read`, a loop).
        // A prefix assignment (`D=/x rm -rf $D`) applies to the command's environment only after its words are expanded.
        if let positional {
            // A function's arguments: `"$@"` is each of them, `$1` the first (`run() { "$@"; }; run rm -rf /srv`).
            for index in words.indices.reversed() where words[index].hasExpansion && !words[index].hasCommandSubstitution {
                guard let replacement = ShellAnalyzer.positionalWords(words[index], in: positional) else { continue }
                words.replaceSubrange(index...index, with: replacement)
            }
        } else if command.function != nil, let first = words.first, ShellAnalyzer.positionalWords(first, in: []) != nil {
            return nil   // the command a function runs is its caller's argument: analysed at the call
        }
        if words.isEmpty { return nil }
        if !variablesUncertain {
            let prefixed = Set(command.assignments.map(\.name))
            for index in words.indices.dropFirst().reversed() where words[index].hasExpansion && !words[index].hasCommandSubstitution {
                guard let value = expandedArgument(words[index].text, excluding: prefixed) else { continue }
                // Unquoted, the value splits into words (`F="--context prod"; kubectl $F …`).
                words.replaceSubrange(index...index, with: ShellAnalyzer.splitWords(ShellWord(text: value, quoted: words[index].quoted)))
            }
        }
        // Brace lists in arguments (`cat ~/.aws/{config,credentials}`) are the words they expand to; a listing command's
        // substitution (`cat $(find ~ -name id_rsa)`) the paths it lists.
        if words.count > 1 {
            for index in words.indices.dropFirst().reversed() {
                if words[index].hasCommandSubstitution {
                    if let listed = listedPaths(words[index]) { words.replaceSubrange(index...index, with: listed) }
                } else if let expanded = ShellAnalyzer.braceExpanded(words[index]) {
                    words.replaceSubrange(index...index, with: expanded)
                }
            }
        }
        var assignments = command.assignments.map { ($0.name, $0.value.text) }
        var fromXargs = false
        var guardCount = 0
        while let first = words.first, guardCount < 32 {
            guardCount += 1
            if first.hasCommandSubstitution || (first.hasExpansion && !first.text.hasPrefix("~")) {
                if first.text == "$SHELL" || first.text == "${SHELL}" {
                    words[0] = ShellWord(text: "sh")
                    continue
                }
                if let known = knownCommandWord(first.text) {
                    // A variable's value is what the line assigned last, unless something else in the line may set it
                    // (`read`, a loop): then what runs is analysed as that value and the command is said to hide it.
                    if known.certain {
                        result.note("the command word \(first.text) is \(known.words.joined(separator: " "))")
                    } else {
                        add(.obfuscated, "the command to run is computed at run time (\(first.text)), as \(known.words.joined(separator: " ")) here")
                        let name = ShellAnalyzer.variableName(first.text) ?? ""
                        if variablesUncertain || uncertainNames.contains(name) || globLoopNames.contains(name) {
                            add(.highRisk, "hides the command it runs: \(first.text) is set in the line by other means than a plain assignment")
                        }
                    }
                    words.replaceSubrange(0..<1, with: known.words.map { ShellWord(text: $0) })
                    continue
                }
                add(.obfuscated, "the command to run is computed at run time (\(first.text))")
                if first.hasCommandSubstitution, decodesInSubstitution(first.text) {
                    add(.highRisk, "runs a command decoded at run time (\(first.text))")
                } else if let how = ShellAnalyzer.hidesCommand(
                    first.text, uncertain: variablesUncertain || uncertainNames.contains(ShellAnalyzer.variableName(first.text) ?? "")) {
                    add(.highRisk, "hides the command it runs: \(how)")
                }
                return nil
            }
            // `alias del='rm -rf'`: what later commands of the line (or of the agent's shell) may stand for.
            if first.text == "alias", words.count > 1 {
                for word in words.dropFirst() {
                    guard let equals = word.text.firstIndex(of: "=") else { continue }
                    shellAliases[String(word.text[..<equals])] = String(word.text[word.text.index(after: equals)...])
                }
                family("alias", nil)
                return nil
            }
            // An alias runs what it stands for; `k` is the usual alias of kubectl.
            if let expansion = shellAliases[first.text] ?? (first.text == "k" ? "kubectl" : nil), guardCount < 8 {
                result.note("\(first.text) is an alias of \(expansion)")
                // An alias of several commands (`alias x='cd /srv; rm -rf data'`) is a script: parsed as one.
                if expansion.contains(where: { ";|&<>`$(".contains($0) }) {
                    nested(([expansion] + words.dropFirst().map(\.text)).joined(separator: " "), origin: "alias \(first.text)")
                    return nil
                }
                let expanded = expansion.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { ShellWord(text: String($0)) }
                if !expanded.isEmpty {
                    words.replaceSubrange(0..<1, with: expanded)
                    continue
                }
            }
            if first.hasANSIC && first.text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                add(.obfuscated, "the command name is written with escape sequences ($'…' for \(first.text))")
                add(.highRisk, "hides the command it runs: its name is written with escape sequences ($'…' for \(first.text))")
            }
            if command.words.count > 0, rest(of: words).contains(where: { $0.text == "--help" || $0.text == "--version" || $0.text == "-help" }),
               !ShellAnalyzer.shells.contains(ShellAnalyzer.basename(first.text)) {
                family(ShellAnalyzer.basename(first.text), nil)
                result.note("\(ShellAnalyzer.basename(first.text)) --help/--version only prints information")
                return nil
            }
            let name = ShellAnalyzer.basename(first.text)
            let rest = Array(words.dropFirst())
            let args = CommandArguments(rest)
            if let expanded = ShellAnalyzer.braceExpansion(first), words.count == 1 || !first.text.isEmpty, expanded.count > 1,
               first.text.hasPrefix("{") {
                add(.obfuscated, "the command is built by brace expansion (\(first.text))")
                words = expanded.map { ShellWord(text: $0) } + rest
                continue
            }
            switch name {
            case "sudo", "doas", "run0", "pkexec":
                if args.has("-l", "--list", "-v", "--validate", "-k", "--reset-timestamp", "-K", "-V", "--version") && args.positionals(valued: ShellAnalyzer.optionsWithValue[name] ?? []).isEmpty {
                    return nil
                }
                // Its options written as one cluster (`-iu deploy`, `-Hu www-data`): split, so that the value of the last
                // is skipped as a value (only the options before the command: `sudo find . -name x` keeps `-name`).
                let leading = rest.prefix { $0.text.hasPrefix("-") && $0.text != "--" }
                let split = leading.flatMap { word -> [ShellWord] in
                    let text = word.text
                    guard !text.hasPrefix("--"), text.count > 2, text.dropFirst().allSatisfy({ $0.isLetter }) else { return [word] }
                    return text.dropFirst().map { ShellWord(text: "-\($0)") }
                } + rest.dropFirst(leading.count)
                let options = CommandArguments(split)
                let user = options.value("-u", "--user")
                // A command family of its own: privilege elevation is a capability (drift), and a harness's permission
                // rules match the command line from its first word (`Bash(sudo *)`, not `Bash(apt-get *)`).
                result.family(name)
                add(.highRisk, "runs with elevated privileges (\(name)\(user.map { " -u \($0)" } ?? ""))")
                words = stripOptions(split, valued: ShellAnalyzer.optionsWithValue[name] ?? [])
                // `sudo VAR=value command`: the variables are set for the command, which follows them.
                takeAssignments(&words, into: &assignments)
                if words.isEmpty && (options.hasShort("i") || options.hasShort("s")) {
                    add(.highRisk, "opens a root shell (\(name) \(options.hasShort("i") ? "-i" : "-s"))")
                }
            case "runuser", "setpriv":
                // `runuser -u app -- rm …`, `runuser -l app -c '…'`: root running a command as another user (most often to
                // drop its privileges): what runs is the command (not high risk of its own: only root may run it).
                result.family(name)
                if let script = args.value("-c", "--command") {
                    nested(script, origin: "\(name) -c")
                    return nil
                }
                words = stripOptions(rest, valued: ["-u", "-g", "-G", "-s", "--user", "--group", "--supp-group", "--shell",
                                                    "--reuid", "--regid", "--groups", "--inh-caps", "--bounding-set"])
                if name == "runuser", !args.has("-u", "--user"), !words.isEmpty { words.removeFirst() }   // `runuser USER cmd`
                if words.isEmpty { return nil }
            case "script" where args.value("-c", "--command") != nil || args.words.contains { $0.text.hasPrefix("-") && !$0.text.hasPrefix("--") && $0.text.hasSuffix("c") }:
                // `script -qc 'rm -rf x' /dev/null`: the command runs under a pseudo-terminal.
                var script = args.value("-c", "--command")
                if script == nil, let cluster = args.words.firstIndex(where: { $0.text.hasPrefix("-") && !$0.text.hasPrefix("--") && $0.text.hasSuffix("c") }),
                   cluster + 1 < args.words.count {
                    script = args.words[cluster + 1].text
                }
                if let script { nested(script, origin: "script -c") }
                return nil
            case "su":
                if let script = args.value("-c", "--command") {
                    add(.highRisk, "runs a command as another user (su -c)")
                    nested(script, origin: "su -c")
                    return nil
                }
                add(.highRisk, "switches user (su)")
                return nil
            case "env":
                var remaining = stripOptions(rest, valued: ShellAnalyzer.optionsWithValue["env"] ?? [])
                if let split = args.value("-S", "--split-string") {
                    nested(split, origin: "env -S")
                    return nil
                }
                takeAssignments(&remaining, into: &assignments)
                // `env $(cat .env | xargs) node app.js`: the substitution gives `NAME=value` pairs (the idiom for loading a
                // file's variables), and the command follows it.
                while remaining.count > 1, let first = remaining.first, first.text.hasPrefix("$(") || first.text.hasPrefix("`") {
                    remaining.removeFirst()
                }
                if remaining.isEmpty {
                    family("env", nil)
                    if !environmentFiltered { add(.sensitiveRead, "dumps the environment (env), which holds secrets") }
                    return nil
                }
                words = remaining
            case "xargs":
                words = stripOptions(rest, valued: ShellAnalyzer.optionsWithValue["xargs"] ?? [])
                fromXargs = true
                if words.isEmpty { words = [ShellWord(text: "echo")] }
            case "watch":
                let remaining = stripOptions(rest, valued: ShellAnalyzer.optionsWithValue["watch"] ?? [])
                if remaining.count == 1 {
                    nested(remaining[0].text, origin: "watch")
                    return nil
                }
                words = remaining
            case "busybox", "toybox":
                words = rest
                if words.isEmpty { return nil }
            case "script":
                // `script -c 'cmd' /dev/null` runs cmd (in a pseudo-terminal); `script` alone records a shell.
                if let inner = args.value("-c", "--command") { nested(inner, origin: "script -c") }
                return nil
            case "parallel":
                // `parallel rm -rf ::: a b`, `parallel 'rm -rf {}' ::: a b`, `… | parallel rm`: the command for each argument.
                let stripped = stripOptions(rest, valued: ["-j", "--jobs", "-S", "--sshlogin", "--joblog", "--delay", "--timeout",
                                                            "-N", "--max-args", "-a", "--arg-file", "--results", "--tmpdir", "-d"])
                let template = Array(stripped.prefix { ![":::", "::::", ":::+"].contains($0.text) })
                let arguments = stripped.dropFirst(template.count + 1).filter { ![":::", "::::", ":::+"].contains($0.text) }
                if template.count == 1, template[0].text.contains(" ") {
                    let script = template[0].text.replacingAll("{}", with: arguments.map(\.text).joined(separator: " "))
                    nested(script, origin: "parallel")
                    return nil
                }
                words = template.filter { $0.text != "{}" } + arguments
                fromXargs = arguments.isEmpty
                if words.isEmpty { return nil }
            case "systemd-run":
                // A transient unit: the command after the options runs now, or later (`--on-calendar`, `--on-active`:
                // a timer that outlasts the session).
                let valued: Set<String> = ["-u", "--unit", "-p", "--property", "--description", "--slice", "-E", "--setenv", "-M",
                                           "--machine", "-H", "--host", "--on-active", "--on-boot", "--on-startup", "--on-unit-active",
                                           "--on-unit-inactive", "--on-calendar", "--timer-property", "--working-directory", "--uid", "--gid",
                                           "--nice", "--service-type", "-G"]
                if args.has("--on-active", "--on-boot", "--on-startup", "--on-unit-active", "--on-unit-inactive", "--on-calendar")
                    || rest.contains(where: { $0.text.hasPrefix("--on-") }) {
                    add(.highRisk, "schedules a command to run later (systemd-run timer; persistence: it outlasts the session)")
                }
                words = stripOptions(rest, valued: valued)
                if words.isEmpty { return nil }
            case "at", "batch":
                // `at now + 1 minute <<< 'cmd'`, `at -f script.sh 02:00`: a job that runs later, on its own.
                if args.has("-l", "-r", "-d", "-c") || ["atq", "atrm"].contains(name) { return nil }
                add(.highRisk, "schedules a command to run later (\(name); persistence: it outlasts the session)")
                if let text = command.stdinText { nested(text, origin: name) }
                if let file = args.value("-f") { result.target(ActionTarget(.path, path(file), operation: "exec")) }
                // Its commands may come through a pipe (`echo 'cmd' | at now`): resolved, it reads them there (`run`).
                return ResolvedCommand(program: "at", args: args, written: first.text, fromXargs: fromXargs, assignments: assignments,
                                       stdinText: command.stdinText)
            case "sshpass":
                words = stripOptions(rest, valued: ["-p", "-f", "-d", "-P"])
            case "command":
                if args.has("-v", "-V") { return nil }
                words = stripOptions(rest, valued: [])
            case "timeout":
                var remaining = stripOptions(rest, valued: ShellAnalyzer.optionsWithValue["timeout"] ?? [])
                if !remaining.isEmpty { remaining.removeFirst() }   // the duration
                words = remaining
            case "nice", "ionice", "stdbuf", "strace", "ltrace", "flock", "chrt", "taskset", "numactl", "cpulimit":
                var remaining = stripOptions(rest, valued: ShellAnalyzer.optionsWithValue[name] ?? [])
                if name == "flock" || name == "chrt" || name == "taskset" {
                    if name == "flock", let script = args.value("-c", "--command") {
                        nested(script, origin: "flock -c")
                        return nil
                    }
                    if !remaining.isEmpty { remaining.removeFirst() }   // lock file, priority or mask
                }
                words = remaining
            case "npx", "bunx", "pnpx":
                words = stripOptions(rest, valued: ShellAnalyzer.optionsWithValue["npx"] ?? [])
                // npx's own `-c` comes before the package: after it, `-c` is the package's (`npx cdk deploy -c env=prod`).
                let own = CommandArguments(Array(rest.prefix { $0.text != words.first?.text }))
                if let script = own.value("-c", "--call") {
                    nested(script, origin: name)
                    return nil
                }
                ShellAnalyzer.dropPackageVersion(&words)
            case "microk8s", "k0s", "rancher", "minikube", "kind", "k3d":
                // Distributions' own clients (`microk8s kubectl …`, `microk8s helm3 …`, `minikube kubectl -- …`,
                // `rancher kubectl …`, `k0s kubectl …`): the kubectl or helm command they run.
                guard let tool = rest.first?.text, ["kubectl", "helm", "helm3"].contains(tool) else {
                    return ResolvedCommand(program: name, args: args, written: first.text, fromXargs: fromXargs, assignments: assignments,
                                           stdinText: command.stdinText)
                }
                var remaining = Array(rest.dropFirst())
                if remaining.first?.text == "--" { remaining.removeFirst() }
                words = [ShellWord(text: tool == "helm3" ? "helm" : tool)] + remaining
            case "nyc", "c8":
                // Coverage wrappers: the command they measure (`nyc mocha`, `c8 npm test`).
                words = stripOptions(rest, valued: ["--reporter", "-r", "--report-dir", "--temp-dir", "--include", "-n", "--exclude",
                                                    "-x", "--extension", "-e", "--require", "-i", "--cwd", "--src"])
            case "coverage" where rest.first?.text == "run":
                // `coverage run -m pytest`: the module it runs under measurement; `coverage run manage.py test`: the script.
                let run = Array(rest.dropFirst())
                if let module = run.firstIndex(where: { $0.text == "-m" }), module + 1 < run.count {
                    words = Array(run[(module + 1)...])
                } else {
                    words = [ShellWord(text: "python")] + stripOptions(run, valued: ["--rcfile", "--source", "--omit", "--include",
                                                                                      "--data-file", "--context", "--concurrency"])
                }
            case "uvx", "pipx" where rest.first?.text == "run":
                // `uvx alembic upgrade head`, `pipx run tox`: the tool's own command.
                words = stripOptions(name == "pipx" ? Array(rest.dropFirst()) : rest,
                                     valued: ["--from", "--with", "-p", "--python", "--with-requirements", "--index-url",
                                              "--extra-index-url", "--spec"])
                ShellAnalyzer.dropPackageVersion(&words)
            case "bundle" where rest.first?.text == "exec",
                 "poetry" where rest.first?.text == "run", "pipenv" where rest.first?.text == "run",
                 "pdm" where rest.first?.text == "run", "hatch" where rest.first?.text == "run",
                 "rye" where rest.first?.text == "run", "pixi" where rest.first?.text == "run",
                 "pnpm" where rest.first?.text == "exec" || rest.first?.text == "dlx",
                 "yarn" where rest.first?.text == "dlx" || rest.first?.text == "exec",
                 "npm" where rest.first?.text == "exec" || rest.first?.text == "x", "bun" where rest.first?.text == "x":
                words = stripOptions(Array(rest.dropFirst()), valued: ["-p", "--package", "-w", "--workspace"])
                if ["pnpm", "yarn", "npm", "bun"].contains(name) { ShellAnalyzer.dropPackageVersion(&words) }
                // `hatch run test`, `pdm run test`, `rye run test`: a project script named for its tests (not the shell's
                // `test` builtin).
                if ["hatch", "pdm", "rye", "pixi", "poetry", "pipenv"].contains(name), let script = words.first?.text,
                   words.count <= 2, script == "test" || script == "tests" || script.hasPrefix("test:") || script.hasPrefix("test-") {
                    testRunner("\(name) run \(script)")
                    return nil
                }
            case "uv", "conda", "mamba", "micromamba":
                guard rest.first?.text == "run" else { return ResolvedCommand(program: name, args: args, written: first.text, fromXargs: fromXargs, assignments: assignments, stdinText: command.stdinText) }
                words = stripOptions(Array(rest.dropFirst()), valued: ShellAnalyzer.optionsWithValue[name == "uv" ? "uv" : "conda"] ?? [])
            default:
                if ShellAnalyzer.transparentPrefixes.contains(name) {
                    words = stripOptions(rest, valued: name == "exec" ? ["-a"] : ["-o", "-p", "-e", "-u", "-s", "-c"])
                    if name == "exec" && words.isEmpty { return nil }
                    continue
                }
                if let verb = ShellAnalyzer.secretInjectors[name], verb.isEmpty || rest.first?.text == verb {
                    if let after = args.afterDoubleDash, !after.isEmpty {
                        words = after
                        continue
                    }
                    return ResolvedCommand(program: name, args: args, written: first.text, fromXargs: fromXargs,
                                           assignments: assignments, stdinText: command.stdinText)
                }
                return ResolvedCommand(program: name, args: args, written: first.text, fromXargs: fromXargs,
                                       assignments: assignments, stdinText: command.stdinText,
                                       hasInputRedirection: command.redirections.contains { $0.op.hasPrefix("<") },
                                       inputFile: command.redirections.last { $0.op == "<" }?.target?.text)
            }
        }
        return nil
    }

    func rest(of words: [ShellWord]) -> ArraySlice<ShellWord> { words.dropFirst() }

    /// Tools whose output is shell code that sets up the environment, evaluated as `eval "$(tool …)"`.
    static let environmentSetupTools: Set<String> = [
        "ssh-agent", "pyenv", "rbenv", "nodenv", "jenv", "goenv", "plenv", "direnv", "conda", "micromamba", "brew", "minikube",
        "docker-machine", "opam", "fnm", "mise", "rtx", "asdf", "starship", "zoxide", "keychain", "gpg-agent", "luarocks",
        "dircolors", "lesspipe", "rustup", "nvm", "pixi", "uv", "thefuck", "atuin", "poetry", "pdm", "hatch", "nix",
    ]

    /// The words a set-up command may take (`pyenv init -`, `conda shell.bash hook`, `direnv hook zsh`): a tool run with
    /// anything else (`uv run x.py`, `mise exec -- cat f`) runs other code, and its output is not its set-up.
    static let environmentSetupWords: Set<String> = [
        "init", "hook", "export", "shellenv", "env", "docker-env", "podman-env", "shell-hook", "activate", "completion", "completions",
        "path", "--path", "-", "-s", "-c", "--eval", "--alias", "shell.bash", "shell.zsh", "shell.fish", "shell.posix",
        "shell", "bash", "zsh", "fish", "sh", "posix", "--shell", "--quiet", "-q", "generate-shell-completion", "virtualenv-init",
        "print-dev-env",
    ]

    /// The tool whose printed set-up `text` (eval's argument) is: `$(tool …)`, quoted or not, the tool and its words
    /// a set-up shape (`environmentSetupWords`; its errors may go to `/dev/null`); nil otherwise.
    static func environmentSetup(_ text: String) -> String? {
        var inner = Substring(text)
        if inner.hasPrefix("\"") && inner.hasSuffix("\"") && inner.count > 1 { inner = inner.dropFirst().dropLast() }
        guard inner.hasPrefix("$(") && inner.hasSuffix(")") else { return nil }
        var body = String(inner.dropFirst(2).dropLast())
        for quiet in ["2>/dev/null", "2> /dev/null", "2>&1"] { body = body.replacingAll(quiet, with: " ") }
        guard !body.contains(where: { "$`;|&<>()".contains($0) }) else { return nil }
        let words = body.split(separator: " ").map(String.init)
        guard let first = words.first, case let program = ShellAnalyzer.basename(first), environmentSetupTools.contains(program)
        else { return nil }
        // Set-up words, options (`--use-on-cd`, `--switch=default`) and a profile's name (`minikube -p dev docker-env`).
        var rest = words.dropFirst()[...]
        while let word = rest.first {
            rest = rest.dropFirst()
            if word == "-p" || word == "--profile" { rest = rest.dropFirst(); continue }
            guard environmentSetupWords.contains(word) || word.hasPrefix("--") && word.count > 2 else { return nil }
        }
        return program
    }

    /// How a command word computed at run time hides what runs, when it plainly does (a finding): its name is the
    /// output of another command (`` `echo rm` ``, `$(printf 'r%s' m)`), or pieced together from variables (`$a$b`),
    /// or a variable the line sets by other means than a plain assignment. Nil for the usual indirections: an
    /// environment variable (`$PYTHON`, `$EDITOR`), a path built on one (`"$VIRTUAL_ENV/bin/python"`, `"$(git rev-parse
    /// --show-toplevel)/build.sh"`).
    static func hidesCommand(_ text: String, uncertain: Bool) -> String? {
        let unquoted = text.hasPrefix("\"") && text.hasSuffix("\"") && text.count > 1 ? String(text.dropFirst().dropLast()) : text
        // A path whose last part is written out names the program.
        if let slash = unquoted.lastIndex(of: "/"), !unquoted[unquoted.index(after: slash)...].contains(where: { "$`(){}".contains($0) }),
           unquoted.index(after: slash) < unquoted.endIndex {
            return nil
        }
        if (unquoted.hasPrefix("$(") && unquoted.hasSuffix(")")) || (unquoted.hasPrefix("`") && unquoted.hasSuffix("`")) {
            return "its name is the output of another command (\(text))"
        }
        if unquoted.filter({ $0 == "$" }).count > 1 || unquoted.contains("$") && !unquoted.hasPrefix("$") {
            return "its name is pieced together at run time (\(text))"
        }
        return uncertain ? "\(text) is set in the line by other means than a plain assignment" : nil
    }

    /// The variable a word names (`$NAME`, `${NAME}`, `${NAME:-x}`), or nil.
    static func variableName(_ text: String) -> String? {
        var rest = Substring(text)
        if rest.hasPrefix("\"") { rest = rest.dropFirst() }
        guard rest.hasPrefix("$") else { return nil }
        rest = rest.dropFirst()
        if rest.hasPrefix("{") { rest = rest.dropFirst() }
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }

    /// `for d in /srv/a /srv/b; do rm -rf "$d"; done`: a pipeline that uses a loop variable with literal values is analysed
    /// once per value (in each, the variable is that value); any other pipeline once.
    mutating func analyzeOverLoops(_ pipeline: [ShellCommand]) {
        let used = loopValues.keys.filter { name in
            pipeline.contains { command in
                (command.words + command.redirections.compactMap(\.target)).contains { word in
                    word.hasExpansion && (word.text.containsASCII("$" + name) || word.text.containsASCII("${" + name))
                }
            }
        }
        guard let name = used.sorted().first, let values = loopValues[name] else { return analyze(pipeline: pipeline) }
        let (savedValue, wasUncertain, wasGlob) = (variables[name], uncertainNames.contains(name), globLoopNames.contains(name))
        let savedLoops = loopValues
        loopValues[name] = nil   // one variable at a time; a second is expanded inside
        uncertainNames.remove(name)
        for value in values {
            variables[name] = value
            if value.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) { globLoopNames.insert(name) } else { globLoopNames.remove(name) }
            analyzeOverLoops(pipeline)
        }
        loopValues = savedLoops
        variables[name] = savedValue
        if wasUncertain { uncertainNames.insert(name) }
        if wasGlob { globLoopNames.insert(name) } else { globLoopNames.remove(name) }
    }

    /// The literal values of each `for NAME in WORD…` loop in `text` (none for a loop over a glob, a substitution or a
    /// variable: those values are not known).
    static func literalLoops(_ text: String) -> [String: [String]] {
        var loops: [String: [String]] = [:]
        var rest = Substring(text)
        while let found = rest.range(ofASCII: "for ") {
            let before = rest[..<found.lowerBound].last
            rest = rest[found.upperBound...]
            guard before == nil || before == " " || before == ";" || before == "\n" || before == "(" || before == "&" || before == "|" else { continue }
            let header = rest.prefix { $0 != ";" && $0 != "\n" }
            var words = header.split(separator: " ").map(String.init)
            guard words.count >= 3, words[1] == "in" else { continue }
            let name = words[0]
            guard let first = name.first, first.isLetter || first == "_", name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
            else { continue }
            words = Array(words.dropFirst(2))
            if words.last == "do" { words.removeLast() }
            var values: [String] = []
            var literal = !words.isEmpty
            for word in words {
                var value = word
                if value.count >= 2, let q = value.first, q == "'" || q == "\"", value.last == q { value = String(value.dropFirst().dropLast()) }
                // A glob (`~/.ssh/*`, `*.pem`) stands for the files it matches: kept as written.
                if value.contains(where: { "$`{}'\"\\<>()".contains($0) }) || value.isEmpty { literal = false; break }
                values.append(value)
            }
            if literal { loops[name, default: []] += values.prefix(loopValueLimit) }
        }
        return loops
    }

    /// The names a line sets otherwise than by a literal assignment: `for NAME in`, `read [-r] [-p P] A B`,
    /// `read -a ARRAY`, `mapfile [-t] NAME` (else `MAPFILE`), `printf -v NAME`, `getopts SPEC NAME`, and what
    /// `declare`/`typeset` name. Read from the words of the text, whatever the shell makes of them.
    static func namesSetOtherwise(_ text: String) -> Set<String> {
        let words = text.split(whereSeparator: { " \t\n;|&()`{}".contains($0) }).map(String.init)
        func isName(_ word: String) -> Bool {
            guard let first = word.first, first.isLetter || first == "_" else { return false }
            return word.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        }
        var names: Set<String> = []
        var index = 0
        while index < words.count {
            let word = words[index]
            switch word {
            case "for", "select":
                if index + 1 < words.count, isName(words[index + 1]) { names.insert(words[index + 1]) }
            case "read":
                var next = index + 1
                while next < words.count, words[next].hasPrefix("-"), words[next].count > 1 {
                    if words[next] == "-a", next + 1 < words.count { names.insert(words[next + 1]) }
                    next += ["-p", "-d", "-n", "-N", "-t", "-u", "-a", "-i"].contains(words[next]) ? 2 : 1
                }
                while next < words.count, isName(words[next]) {
                    names.insert(words[next])
                    next += 1
                }
                if next == index + 1 { names.insert("REPLY") }
            case "mapfile", "readarray":
                var next = index + 1
                while next < words.count, words[next].hasPrefix("-") {
                    next += ["-d", "-n", "-O", "-s", "-u", "-C", "-c"].contains(words[next]) ? 2 : 1
                }
                names.insert(next < words.count && isName(words[next]) ? words[next] : "MAPFILE")
            case "printf":
                if index + 2 < words.count, words[index + 1] == "-v" { names.insert(words[index + 2]) }
            case "getopts":
                if index + 2 < words.count, isName(words[index + 2]) { names.insert(words[index + 2]) }
            case "declare", "typeset":
                var next = index + 1
                while next < words.count, words[next].hasPrefix("-") || words[next].hasPrefix("+") { next += 1 }
                while next < words.count {
                    let name = String(words[next].prefix { $0 != "=" })
                    guard isName(name) else { break }
                    names.insert(name)
                    next += 1
                }
            default:
                break
            }
            index += 1
        }
        return names
    }

    /// An argument's text with each `$NAME` or `${NAME}` replaced by the literal the line assigned it, and in a
    /// function call each `$1`, `$@` by the call's arguments; `${NAME:-default}` is the default when the line does not
    /// know the variable (or the argument is missing). Nil when any expansion in it is none of these (the environment's,
    /// arithmetic, a variable `read` or a loop sets).
    func expandedArgument(_ text: String, excluding prefixed: Set<String> = []) -> String? {
        var out = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            var after = rest[rest.index(after: dollar)...]
            var name: Substring
            var fallback: Substring?
            if after.first == "{" {
                guard let close = after.firstIndex(of: "}") else { return nil }
                name = after[after.index(after: after.startIndex)..<close]
                after = after[after.index(after: close)...]
                if let dash = name.firstIndex(of: "-"), dash != name.startIndex {
                    let base = name[..<dash].hasSuffix(":") ? name[..<name.index(before: dash)] : name[..<dash]
                    if !base.isEmpty, base.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                        fallback = name[name.index(after: dash)...]
                        name = base
                    }
                }
            } else if positional != nil, let first = after.first, first.isNumber || first == "@" || first == "*" {
                name = after.prefix(1)   // `$12` is `${1}2`
                after = after.dropFirst()
            } else {
                name = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                after = after.dropFirst(name.count)
            }
            var value: String?
            if let positional, let words = ShellAnalyzer.positionalWords(ShellWord(text: "$" + name, quoted: true), in: positional) {
                value = words.map(\.text).joined(separator: " ")
            } else if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), name.first?.isNumber == false {
                guard !prefixed.contains(String(name)), !uncertainNames.contains(String(name)) else { return nil }
                value = variables[String(name)]
            } else {
                return nil
            }
            if value == nil || value!.isEmpty, let fallback { value = String(fallback) }
            // A default that starts from the home or the working directory (`${XDG_CACHE_HOME:-$HOME/.cache}`) is kept as
            // written there: paths resolve `$HOME` and `$PWD`.
            let anchored = ["$HOME", "${HOME}", "$PWD", "${PWD}"].first { value?.hasPrefix($0) == true && out.isEmpty }
            guard let value, !value.dropFirst(anchored?.count ?? 0).contains("$"), !value.contains("`") else { return nil }
            out += value
            rest = after
        }
        return out + rest
    }

    /// The value an assignment gives a variable: its text, with the variables and function arguments in it that the
    /// line knows replaced by their values (`D=$1`, `T=$D/data`); as written when it holds any other expansion.
    func assignedValue(_ value: ShellWord) -> String {
        guard value.hasExpansion, !value.hasCommandSubstitution, value.text.contains("$") else { return value.text }
        return expandedArgument(value.text) ?? value.text
    }

    /// What a word made of a function's arguments stands for: `"$@"` and `$*` each argument (`$*` and `"$*"`
    /// joined), `$1` … `$9` and `${N}` one of them, none when there is no such argument; `$#` their count. Nil for
    /// any other word.
    static func positionalWords(_ word: ShellWord, in arguments: [ShellWord]) -> [ShellWord]? {
        var name = Substring(word.text)
        guard name.hasPrefix("$") else { return nil }
        name = name.dropFirst()
        if name.hasPrefix("{") && name.hasSuffix("}") { name = name.dropFirst().dropLast() }
        // `${@:2}`, `${@:2:3}`: the arguments from the second (three of them).
        if name.hasPrefix("@:") {
            let bounds = name.dropFirst(2).split(separator: ":").map { Int($0) }
            guard let from = bounds.first ?? nil, from >= 1 else { return nil }
            var slice = Array(arguments.dropFirst(from - 1))
            if bounds.count > 1, let count = bounds[1] { slice = Array(slice.prefix(max(0, count))) }
            return word.quoted ? slice : slice.flatMap(splitWords)
        }
        switch name {
        case "@":
            return word.quoted ? arguments : arguments.flatMap(splitWords)
        case "*":
            let joined = arguments.map(\.text).joined(separator: " ")
            return word.quoted ? [ShellWord(text: joined, quoted: true)] : arguments.flatMap(splitWords)
        case "#":
            return [ShellWord(text: String(arguments.count))]
        default:
            guard let number = Int(name), number >= 1, String(number) == name else { return nil }
            guard number <= arguments.count else { return [] }
            let argument = arguments[number - 1]
            return word.quoted ? [argument] : splitWords(argument)
        }
    }

    /// An unquoted expansion's value split into words.
    static func splitWords(_ word: ShellWord) -> [ShellWord] {
        guard !word.quoted else { return [word] }
        return word.text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map { ShellWord(text: String($0)) }
    }

    /// The words a command word computed at run time stands for, when the line itself says: `$NAME` or
    /// `${NAME}` of a variable it assigned a literal (`a=rm; $a -rf /srv`: the value splits into words, as
    /// an unquoted expansion does), `${NAME:-default}` (the variable's value, else the default), and
    /// `$(which X)` or `$(command -v X)` (X). A variable's value is certain when nothing else in the line may set it
    /// (`variablesUncertain`); a default (`${NAME:-default}`) never is. Nil for anything else.
    func knownCommandWord(_ text: String) -> (words: [String], certain: Bool)? {
        func literal(_ value: String?) -> [String]? {
            guard let value, !value.contains("$"), !value.contains("`") else { return nil }
            let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
            return words.isEmpty ? nil : words
        }
        if text.hasPrefix("$(") && text.hasSuffix(")") || text.hasPrefix("`") && text.hasSuffix("`") && text.count > 1 {
            let inner = text.hasPrefix("`") ? text.dropFirst().dropLast() : text.dropFirst(2).dropLast()
            let words = inner.split(separator: " ").map(String.init)
            if words.count == 2, words[0] == "which", let known = literal(words[1]) { return (known, true) }
            if words.count == 3, words[0] == "command", words[1] == "-v", let known = literal(words[2]) { return (known, true) }
            return nil
        }
        guard text.hasPrefix("$") else { return nil }
        var name = String(text.dropFirst())
        var fallback: String?
        if name.hasPrefix("{") && name.hasSuffix("}") {
            name = String(name.dropFirst().dropLast())
            if let operation = name.range(ofASCII: ":-") ?? name.range(ofASCII: "-") {
                fallback = String(name[operation.upperBound...])
                name = String(name[..<operation.lowerBound])
            }
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        if let known = literal(variables[name]) {
            return (known, !variablesUncertain && !uncertainNames.contains(name) && !globLoopNames.contains(name))
        }
        return literal(fallback).map { ($0, false) }
    }

    /// `{rm,-rf,dist}` → `["rm", "-rf", "dist"]` (an unquoted brace list as a whole word).
    static func braceExpansion(_ word: ShellWord) -> [String]? {
        let text = word.text
        guard text.hasPrefix("{"), text.hasSuffix("}"), text.contains(","), word.plainPrefix >= text.utf8.count else { return nil }
        return text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    /// An argument's unquoted brace list expanded (`~/.aws/{config,credentials}` → two words, nested lists too); nil
    /// when it has none (`{}`, `${VAR}`, a quoted `{a,b}`). At most 64 words.
    static func braceExpanded(_ word: ShellWord) -> [ShellWord]? {
        // Most arguments have no brace: told without copying their bytes.
        guard word.text.utf8.contains(UInt8(ascii: "{")) else { return nil }
        let bytes = Array(word.text.utf8)
        guard bytes.count >= 5, let open = bytes.firstIndex(of: UInt8(ascii: "{")), bytes.contains(UInt8(ascii: ",")) else { return nil }
        func expand(_ text: [UInt8], plain: Int, into out: inout [[UInt8]]) {
            guard out.count < 64 else { return }
            var depth = 0, start = -1, close = -1, commas: [Int] = []
            var i = 0
            while i < min(text.count, plain) {
                let b = text[i]
                if b == UInt8(ascii: "{"), i == 0 || text[i - 1] != UInt8(ascii: "$") {
                    if depth == 0 { start = i; commas = [] }
                    depth += 1
                } else if b == UInt8(ascii: "}"), depth > 0 {
                    depth -= 1
                    if depth == 0 {
                        if !commas.isEmpty { close = i; break }
                        start = -1
                    }
                } else if b == UInt8(ascii: ","), depth == 1 {
                    commas.append(i)
                }
                i += 1
            }
            guard start >= 0, close > start else { out.append(text); return }
            let prefix = Array(text[..<start]), suffix = Array(text[(close + 1)...])
            let bounds = [start] + commas + [close]
            for k in 0..<(bounds.count - 1) {
                let joined = prefix + text[(bounds[k] + 1)..<bounds[k + 1]] + suffix
                expand(joined, plain: plain - (text.count - joined.count), into: &out)
            }
        }
        guard open < word.plainPrefix else { return nil }
        var out: [[UInt8]] = []
        expand(bytes, plain: word.plainPrefix, into: &out)
        guard out.count > 1 else { return nil }
        return out.map { text in
            var expanded = word
            expanded.text = String(decoding: text, as: UTF8.self)
            expanded.plainPrefix = word.plainPrefix - (bytes.count - text.count)
            return expanded
        }
    }

    /// The paths a word that is one listing command's substitution stands for (`$(find ~ -name id_rsa)`,
    /// `` `ls ~/.ssh/*` ``): what `find`, `fd`, `ls` or `echo` lists, as a pipe into `xargs` gives them; nil otherwise.
    func listedPaths(_ word: ShellWord) -> [ShellWord]? {
        let text = word.text
        guard text.hasPrefix("$(") && text.hasSuffix(")") || text.hasPrefix("`") && text.hasSuffix("`") && text.count > 2 else { return nil }
        let inner = String(text.hasPrefix("`") ? text.dropFirst().dropLast() : text.dropFirst(2).dropLast())
        let commands = ShellParser.parse(inner).commands
        guard commands.count == 1, let first = commands[0].words.first, !first.hasExpansion else { return nil }
        let program = ShellAnalyzer.basename(first.text)
        guard ["find", "fd", "ls", "echo"].contains(program) else { return nil }
        let args = CommandArguments(Array(commands[0].words.dropFirst()))
        let paths = program == "find" ? ShellAnalyzer.findMatches(args.words) : args.positionals().map(\.text)
        guard !paths.isEmpty, paths.count <= 16 else { return nil }
        return paths.map { ShellWord(text: $0, hasGlob: $0.contains("*")) }
    }

    /// Whether a `$(…)` in a word decodes data (`$(echo … | base64 -d)`).
    func decodesInSubstitution(_ text: String) -> Bool {
        let script = ShellParser.parse(text)
        for inner in script.substitutions.flatMap(\.allCommands) {
            guard let word = inner.words.first else { continue }
            let name = ShellAnalyzer.basename(word.text)
            let args = CommandArguments(Array(inner.words.dropFirst()))
            if ShellAnalyzer.isDecoder(ResolvedCommand(program: name, args: args, written: word.text)) { return true }
        }
        return false
    }

    /// Drops leading options (and the values of options that take one) up to the command.
    func stripOptions(_ words: [ShellWord], valued: Set<String>) -> [ShellWord] {
        var index = 0
        while index < words.count {
            let text = words[index].text
            if text == "--" { return Array(words[(index + 1)...]) }
            guard text.hasPrefix("-") && text.count > 1 else { break }
            if valued.contains(text) { index += 1 }
            index += 1
        }
        return index < words.count ? Array(words[index...]) : []
    }

    static func basename(_ program: String) -> String {
        var name = program
        if let slash = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) { name = String(name[name.index(after: slash)...]) }
        if name.lowercased().hasSuffix(".exe") { name.removeLast(4) }
        return name
    }

    // MARK: Nested scripts

    /// Analyses a script given as text (bash -c, eval, ssh, watch, su -c).
    mutating func nested(_ text: String, origin: String, remote: String? = nil) {
        guard depth < ShellAnalyzer.maximumDepth else {
            add(.obfuscated, "scripts nested too deeply to analyse (\(origin))")
            add(.highRisk, "hides what it runs in scripts nested too deeply to analyse (\(origin))")
            return
        }
        depth += 1
        origins.append(origin)
        let savedRemote = remoteHost, saved = directories
        subshellDirectories = []
        if let remote { remoteHost = remote }
        analyze(text: text)
        remoteHost = savedRemote
        directories = saved
        origins.removeLast()
        depth -= 1
    }

    /// Analyses an argv vector as a command (find -exec, kubectl exec --, xargs).
    mutating func nested(argv: [ShellWord], origin: String, remote: String? = nil) {
        guard depth < ShellAnalyzer.maximumDepth, !argv.isEmpty else { return }
        depth += 1
        origins.append(origin)
        let savedRemote = remoteHost
        if let remote { remoteHost = remote }
        var command = ShellCommand()
        command.words = argv
        let saved = directories
        subshellDirectories = []
        // `kubectl exec pod -- sh -c '…'` arrives as separate words; handle like any command.
        analyze(commands: [command])
        directories = saved
        remoteHost = savedRemote
        origins.removeLast()
        depth -= 1
    }

    // MARK: Environment detection

    /// Records a name that identifies an environment (context, namespace, project…) and
    /// checks it against the production tokens.
    mutating func environmentName(_ value: String, kind: ActionTarget.Kind, source: String) {
        guard !value.isEmpty else { return }
        result.target(ActionTarget(kind, value))
        if let token = context.policy.production.match(value) {
            result.productionEvidence("\(source) \(value) (\(token))")
        }
    }
}

extension ShellAnalyzer {
    /// A package run at a version or tag (`prisma@5.22.0`, `@scope/cli@2`, `cdk@latest`) is the package's program
    /// (not an address: `git+ssh://git@github.com/org/tool.git`).
    static func dropPackageVersion(_ words: inout [ShellWord]) {
        guard let first = words.first, !first.text.contains(":"), let at = first.text.dropFirst().lastIndex(of: "@"),
              !first.text[first.text.index(after: at)...].contains("/") else { return }
        words[0] = ShellWord(text: String(first.text[..<at]), quoted: first.quoted)
    }
}
