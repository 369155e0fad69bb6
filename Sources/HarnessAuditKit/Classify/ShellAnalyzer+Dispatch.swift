/// Dispatch from the program name to its rules.
extension ShellAnalyzer {
    mutating func run(_ command: ResolvedCommand, stdin: ResolvedCommand?, upstreamAll: [ResolvedCommand],
                      source: ShellCommand) {
        let p = command.program
        for (name, value) in command.assignments where name == "KUBECONFIG" || name == "AWS_PROFILE" {
            variables[name] = value
        }
        // A script run by its path (`./i.sh`) that the line downloaded: download-and-run.
        if command.written.contains("/"), downloaded.contains(path(command.written)) {
            add(.highRisk, "runs a script it downloaded (\(command.written))")
            result.target(ActionTarget(.path, path(command.written), operation: "exec"))
        }
        // A script the session wrote, run by its path (`./deploy.sh`): its commands ran.
        if command.written.contains("/") { runWrittenScript(path(command.written), as: command.written) }
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
    }

    /// `program subcommand` for drift.
    mutating func family(_ program: String, _ subcommand: String?) {
        if let subcommand, !subcommand.isEmpty, !subcommand.hasPrefix("-") {
            result.family("\(program) \(subcommand)")
        } else {
            result.family(program)
        }
    }
}
