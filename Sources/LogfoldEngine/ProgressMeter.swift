import Foundation

/// A one-line progress display on standard error: count, rate, and (when the size is known) ETA.
///
/// It reads the clock, which is fine here: progress is shown to people and never reaches the journal,
/// the state, or the outbox.
package final class ProgressMeter {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private let enabled: Bool
    private var drewSomething = false

    /// A meter that draws only when `enabled` (a terminal, or `--progress`).
    package init(enabled: Bool) {
        self.enabled = enabled
        start = clock.now
        lastDraw = start
    }

    /// Whether standard output is a terminal, the contract's default for showing progress.
    package static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// Seconds since the meter was created.
    package var elapsedSeconds: Double {
        (clock.now - start).seconds
    }

    /// Redraws at most four times a second.
    package func update(label: String, count: Int, done: Int64, total: Int64?, extra: String = "") {
        guard enabled else { return }
        let now = clock.now
        guard now - lastDraw >= .milliseconds(250) else { return }
        lastDraw = now
        let seconds = max(elapsedSeconds, 0.001)
        let rate = Double(count) / seconds
        var line = "\(label) \(count.formatted()) · \(Int(rate).formatted())/s"
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0
            line += " · \(Int(fraction * 100))% · ETA \(Int(eta.rounded()))s"
        }
        if !extra.isEmpty { line += " · " + extra }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
        drewSomething = true
    }

    /// Clears the line so the summary prints cleanly.
    package func finish() {
        guard enabled, drewSomething else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
