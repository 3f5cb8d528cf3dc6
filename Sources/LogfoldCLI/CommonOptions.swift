import ArgumentParser
import Foundation
import LogfoldEngine

/// `--data DIR`, which every command takes.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory (journal, state, outbox). Default: $LOGFOLD_DATA or ./data.")
    var data: String?

    /// The data directory; from here on every file the process creates is its user's alone.
    var directory: DataDirectory {
        FileModes.restrictNewFiles()
        return DataDirectory(data)
    }
}

/// `--max-line-bytes` must be positive and at most 1 GiB: a line is held whole in memory, and larger
/// values overflowed the reader's arithmetic.
func validateLineLimit(_ bytes: Int) throws {
    guard (1...(1 << 30)).contains(bytes) else {
        throw ValidationError("--max-line-bytes must be from 1 to 1073741824 (1 GiB); got \(bytes)")
    }
}

/// Prints to standard output.
func say(_ text: String) {
    print(text)
}
