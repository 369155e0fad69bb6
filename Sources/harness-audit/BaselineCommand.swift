import ArgumentParser
import HarnessAuditKit

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Write or validate the team's baseline (harness-audit.yml).",
        subcommands: [BaselineInitCommand.self, BaselineValidateCommand.self])
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
        if output == "-" {
            Terminal.writeStdout(Baseline.defaultText)
            return
        }
        if !force, (try? RuleLoader.readText(output)) != nil {
            throw HarnessAuditError.usage("\(output) exists; use --force to overwrite it")
        }
        try OutputFile.write(Baseline.defaultText, to: output)
        Terminal.writeStdout("wrote \(output): edit it, then `harness-audit check` reads it from this directory\n")
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
        Terminal.writeStdout(TerminalText.sanitize(BaselineRenderer.summary(baseline), keepNewlines: true))
    }
}
