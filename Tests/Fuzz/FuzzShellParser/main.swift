// libFuzzer target: one shell command line (the input, decoded as lossy UTF-8) through the shell
// parser and, via the public ActionClassifier, the shell analyser (ShellAnalyzer is internal).
// Build and run: Tests/Fuzz/run.sh (see Tests/Fuzz/README.md).
import HarnessAuditKit
import FuzzDriver

nonisolated(unsafe) let classifier = ActionClassifier()
let context = ClassificationContext(cwd: "/home/dev/project", home: "/home/dev", branch: "main",
                                    kubeContext: "prod-cluster")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzShellParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)

    // The parser never fails; walk everything it returns so lazily built parts are touched too.
    let script = ShellParser.parse(text)
    var total = script.problems.count
    for command in script.allCommands {
        total &+= command.words.count &+ command.assignments.count
        for word in command.words { total &+= word.text.utf8.count &+ word.plainPrefix }
        for redirection in command.redirections {
            total &+= redirection.op.utf8.count &+ (redirection.body?.utf8.count ?? 0)
            _ = redirection.writesFile
            _ = redirection.readsFile
        }
    }
    precondition(total >= 0)

    // A shell tool whose input is not JSON is classified as a command line: this reaches
    // ShellAnalyzer.classify(_:context:) directly (a JSON-looking input takes the JSON path instead).
    _ = classifier.classify(tool: "bash", inputJSON: text, context: context)
    // `bash -c <text>`: the argv path, which analyses the text as a nested script.
    _ = ActionClassifier.classify(argv: ["bash", "-c", text], context: context)
    return 0
}

// The entry point SwiftPM links as `main` (see FuzzDriver).
@_cdecl("FuzzShellParser_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzShellParser)
}
