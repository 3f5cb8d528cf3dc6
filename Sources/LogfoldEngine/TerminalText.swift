/// Text from the platform made safe to print on a terminal.
///
/// Ids, names and errors come from input: a control character in one (an escape sequence) could move
/// the cursor, rewrite what an operator sees, or set the terminal's title. Printed lines show control
/// characters as `\u{1B}` instead; JSON output is escaped by its encoder already.
package enum TerminalText {
    /// `text` with C0 and C1 control characters and DEL written as `\u{XX}` (tab kept only when `tabs`).
    package static func visible(_ text: String, tabs: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !(tabs && $0 == "\t") }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if isControl(scalar), !(tabs && scalar == "\t") {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
