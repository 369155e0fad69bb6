import ArgumentParser
import HarnessAuditKit

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Write or validate the team's baseline (harness-audit.yml).",
        subcommands: [BaselineInitCommand.self, BaselineValidateCommand.self, BaselineSuggestCommand.self])
}

struct BaselineInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write the built-in policy as a commented baseline file to edit.")

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write it (- for standard output).", valueName: "file"))
    var output: String = Baseline.defaultFileName

    @Flag(help: "Overwrite an existing file.")
    var force = false

    func run() throws {
        try OutputPath.check(output, option: "--output")
        if output == "-" {
            try Terminal.emit(Baseline.defaultText)
            return
        }
        if !force, (try? RuleLoader.readText(output)) != nil {
            throw HarnessAuditError.usage("\(output) exists; use --force to overwrite it")
        }
        try OutputFile.write(Baseline.defaultText, to: output)
        try Terminal.emit("wrote \(output): edit it, then `harness-audit check` reads it from this directory\n")
    }
}

struct BaselineValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a baseline file and show what it changes (exit 3 with file:line when invalid).")

    @Argument(help: ArgumentHelp("The baseline (default: ./harness-audit.yml).", valueName: "file"))
    var file: String = Baseline.defaultFileName

    @OptionGroup var source: RuleSourceOptions

    func run() throws {
        let baseline = try Baseline.parse(try RuleLoader.readText(file), file: file)
        try baseline.validateReferences(rules: try source.load())
        try Terminal.emit(TerminalText.sanitize(BaselineRenderer.summary(baseline), keepNewlines: true))
    }
}

struct BaselineSuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Write the tightest baseline for a period's activity, with a recommended-versus-current diff and harness settings.",
        discussion: """
            The suggestion lists, per agent, repository and principal, every capability its actions used in the \
            period, leaving out actions that raised findings (the findings are the decision to take). It keeps the \
            rest of the current baseline. By default the period is the last full month in the data, as for drift. \
            Exit codes: 0 written; 2 usage error; 3 unreadable store or baseline, or the file could not be written.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var span: PeriodArguments
    @OptionGroup var policy: PolicyArguments

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the suggested baseline (- for standard output).", valueName: "file"))
    var output: String = "harness-audit.suggested.yml"

    @Flag(help: "Overwrite an existing file.")
    var force = false

    func run() throws {
        var check = Terminal.checkOptions(databasePath: store.path)
        try policy.apply(to: &check)
        try OutputPath.check(output, option: "--output")
        if output != "-", !force, (try? RuleLoader.readText(output)) != nil {
            throw HarnessAuditError.usage("\(output) exists; use --force to overwrite it")
        }
        // (`SOURCE_DATE_EPOCH`, when set, is `check.now`: the "now" the default period is taken from.)
        let suggestion = try BaselineSuggester.suggest(check, period: try span.resolve(now: check.now))
        // The printed summary is redacted like every report, and so are secrets in the file's values (it is meant to be committed).
        func summary(_ file: String?) -> String {
            TerminalText.sanitize(Redactor(enabled: true).redact(BaselineRenderer.suggestion(suggestion, file: file)), keepNewlines: true)
        }
        if output == "-" {
            try Terminal.emit(suggestion.yaml)
            Terminal.writeStderr(summary(nil))
        } else {
            try OutputFile.write(suggestion.yaml, to: output)
            try Terminal.emit(summary(output))
        }
    }
}
