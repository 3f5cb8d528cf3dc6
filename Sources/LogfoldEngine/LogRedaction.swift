/// Takes personal data out of text bound for the log: emails and phone numbers become `<email>` and
/// `<phone>`.
///
/// Messages never carry a customer's values (they log ids, counts and kinds as metadata), but an API's
/// error text can quote what it refused ("… is not a valid email") and a transport error a URL: those go
/// through here. A token is an email when it has an `@` with a dot after it; a phone when it is a run of
/// at least 10 digits, or one that starts with `+`, with spaces, dots, dashes and parentheses between.
/// Shorter digit runs (customer, order and entry ids) stay: they are what an operator looks up, and so
/// do digits glued to letters (Klaviyo's ids, `01000000000SE2GZAKCAJ24CQP`, start with a dozen digits).
package enum LogRedaction {
    /// `text` with emails and phone numbers replaced.
    package static func redact(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var token = ""
        func flush() {
            output += classify(token)
            token = ""
        }
        for character in text {
            if character.isWhitespace || "\"'<>,;()[]{}".contains(character) {
                flush()
                output.append(character)
            } else {
                token.append(character)
            }
        }
        flush()
        return redactPhones(output)
    }

    private static func classify(_ token: String) -> String {
        guard let at = token.firstIndex(of: "@"), at > token.startIndex,
            token[token.index(after: at)...].contains(".")
        else { return token }
        return "<email>"
    }

    /// Runs of digits and phone punctuation holding 10 or more digits, or 7 or more after a `+`, that are
    /// not part of a word (a letter right before or right after the run).
    private static func redactPhones(_ text: String) -> String {
        let characters = Array(text)
        var output = ""
        var index = 0
        while index < characters.count {
            let start = index
            let plus = characters[index] == "+"
            let inWord = index > 0 && characters[index - 1].isASCII && characters[index - 1].isLetter
            if !inWord, plus || characters[index].isASCII && characters[index].isNumber {
                var end = plus ? index + 1 : index
                var digits = 0
                while end < characters.count,
                    characters[end].isASCII && characters[end].isNumber || " .-()".contains(characters[end])
                {
                    if characters[end].isNumber { digits += 1 }
                    end += 1
                }
                // Trailing punctuation belongs to the text, not the number.
                while end > start, " .-(".contains(characters[end - 1]) { end -= 1 }
                let gluedToLetter = end < characters.count && characters[end].isASCII && characters[end].isLetter
                if !gluedToLetter, digits >= 10 || (plus && digits >= 7) {
                    output += "<phone>"
                    index = end
                    continue
                }
                let next = max(end, start + 1)
                output += String(characters[start..<next])
                index = next
                continue
            }
            output.append(characters[index])
            index += 1
        }
        return output
    }
}
