import Testing
@testable import HarnessAuditKit

@Suite("Shell parser")
struct ShellParserTests {
    func words(_ text: String) -> [[String]] {
        ShellParser.parse(text).commands.map { $0.words.map(\.text) }
    }

    @Test("quotes, escapes and ANSI-C strings are removed from words")
    func quoting() {
        #expect(words("echo 'a b' \"c d\" e\\ f") == [["echo", "a b", "c d", "e f"]])
        #expect(words("printf $'a\\tb\\x41'") == [["printf", "a\tbA"]])
        #expect(words("\"r\"\"m\" -rf x") == [["rm", "-rf", "x"]])
        #expect(words("echo \"it's \\\"quoted\\\" \\$HOME\"") == [["echo", "it's \"quoted\" $HOME"]])
    }

    @Test("list and pipe operators split commands; pipelines are numbered")
    func operators() {
        let script = ShellParser.parse("a && b || c; d & e | f |& g")
        #expect(script.commands.map { $0.words.first?.text } == ["a", "b", "c", "d", "e", "f", "g"])
        #expect(script.commands.map(\.separator) == ["&&", "||", ";", "&", "|", "|", ""])
        let pipeline = script.commands.suffix(3)
        #expect(Set(pipeline.map(\.pipeline)).count == 1)
        #expect(pipeline.map(\.pipelinePosition) == [0, 1, 2])
    }

    @Test("redirections with descriptor numbers, and their targets")
    func redirections() {
        let command = ShellParser.parse("cmd >out.txt 2>&1 >>log &>all 2>/dev/null <in").commands[0]
        #expect(command.words.map(\.text) == ["cmd"])
        #expect(command.redirections.map(\.op) == [">", ">&", ">>", "&>", ">", "<"])
        #expect(command.redirections.map { $0.fd } == [nil, 2, nil, nil, 2, nil])
        #expect(command.redirections.map { $0.target?.text } == ["out.txt", "1", "log", "all", "/dev/null", "in"])
        #expect(command.redirections.map(\.writesFile) == [true, false, true, true, true, false])
    }

    @Test("here-documents (quoted and <<-) and here-strings carry their bodies")
    func heredocs() {
        let script = ShellParser.parse("psql <<'SQL' | tee out\nDROP TABLE t;\nSQL\ncat <<-EOF\n\tline\n\tEOF\nbase64 -d <<< aGk=")
        #expect(script.commands.count == 4)
        #expect(script.commands[0].stdinText == "DROP TABLE t;\n")
        #expect(script.commands[1].words.map(\.text) == ["tee", "out"])
        #expect(script.commands[2].stdinText == "line\n")
        #expect(script.commands[3].stdinText == "aGk=")
        #expect(script.problems.isEmpty)
    }

    @Test("command substitutions, backticks and process substitutions are parsed too")
    func substitutions() {
        let script = ShellParser.parse("echo $(rm -rf x) `git push` <(curl -s u)")
        #expect(script.commands.count == 1)
        #expect(script.commands[0].words[1].hasCommandSubstitution)
        #expect(script.allCommands.compactMap { $0.words.first?.text } == ["echo", "rm", "git", "curl"])
    }

    @Test("comments, keywords of compound commands, subshells and functions")
    func compound() {
        #expect(words("ls # rm -rf /") == [["ls"]])
        #expect(words("if test -d x; then rm -r x; else echo no; fi") == [["test", "-d", "x"], ["rm", "-r", "x"], ["echo", "no"]])
        #expect(words("for f in a b; do rm \"$f\"; done") == [["rm", "$f"]])
        #expect(words("while true; do sleep 1; done") == [["true"], ["sleep", "1"]])
        #expect(words("(cd build && make)") == [["cd", "build"], ["make"]])
        #expect(words("case $x in a) rm a;; b|c) echo b;; esac") == [["rm", "a"], ["echo", "b"]])
        #expect(words("f() { rm -rf tmp; }; f") == [["rm", "-rf", "tmp"], ["f"]])
        #expect(words("[[ -f x ]] && cat x") == [["cat", "x"]])
    }

    @Test("assignments before the command word are separated from it")
    func assignments() {
        let command = ShellParser.parse("A=1 B=\"two words\" cmd C=3").commands[0]
        #expect(command.assignments.map(\.name) == ["A", "B"])
        #expect(command.assignments.map(\.value.text) == ["1", "two words"])
        #expect(command.words.map(\.text) == ["cmd", "C=3"])
    }

    @Test("expansions are marked; the text keeps them as written")
    func expansions() {
        let word = ShellParser.parse("$CMD ${X:-y} \"$(date)\" ~/x").commands[0].words
        #expect(word[0].hasExpansion && !word[0].hasCommandSubstitution)
        #expect(word[1].text == "${X:-y}")
        #expect(word[2].hasCommandSubstitution)
        #expect(!word[3].hasExpansion && word[3].text == "~/x")
    }

    @Test("broken input never fails: problems are reported and the rest parsed", arguments: [
        "echo 'unterminated", "echo \"unterminated", "echo $(unbalanced", "cat <<EOF\nno end", "echo `open",
        String(repeating: "$(", count: 50), ")))(((", "&& || ;;", "",
    ])
    func robust(_ text: String) {
        _ = ShellParser.parse(text)
    }

    @Test("deep substitution nesting stops at the limit")
    func depth() {
        let deep = String(repeating: "$(echo ", count: 20) + "x" + String(repeating: ")", count: 20)
        let script = ShellParser.parse(deep)
        #expect(script.allCommands.count <= ShellParser.maximumDepth + 1)
    }

    /// Inputs libFuzzer found crashing the parser (`Tests/Fuzz`), kept as regressions.
    @Test("fuzzer-found inputs parse without crashing", arguments: [
        "pl|$(`\\",          // a trailing backslash inside `$(` stepped past the end (crash-236b317f)
        "$(\\", ">('",       // the two minimal inputs of the 1,043 crashes (readDollar, and readWord via `>(`)
        "$(\\", "$(\"\\", "x $( '", "$((", "${", "`\\",
        // More of the 486 inputs of that run, of other shapes: an open quote inside `$(`, process substitutions.
        "t\u{FFFD}$(0;(\"$(", "t$(-c\"\"\"\u{02}\"\"\"\"", "gr<(.t\r\u{FFFD}\u{FFFD}&&&&&\"",
        ">(\t\u{04}/` \u{7F}`1\"jt/P", ">(\t\u{04}/` \u{7F}`1jtaskset\u{00}'P",
    ])
    func fuzzRegressions(_ input: String) {
        let script = ShellParser.parse(input)
        #expect(!script.problems.isEmpty || !script.allCommands.isEmpty || input.isEmpty)
        _ = ShellAnalyzer.classify(input, context: ClassificationContext(cwd: "/w", home: "/home/u", policy: ClassificationPolicy()))
    }
}

