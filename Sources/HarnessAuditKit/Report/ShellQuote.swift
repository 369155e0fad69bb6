/// Quoting for words in the shell commands a report prints, so a path with spaces, quotes or
/// `$` is one word when pasted into a POSIX shell.
public enum ShellQuote {
    /// The word unchanged when it is made of safe characters only, else in single quotes.
    public static func quote(_ word: String) -> String {
        let safe = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ":", "@", "%", "+", "=", ",": return true
            default: return false
            }
        }
        if safe { return word }
        var out = "'"
        for character in word {
            if character == "'" { out += "'\\''" } else { out.append(character) }
        }
        return out + "'"
    }
}
