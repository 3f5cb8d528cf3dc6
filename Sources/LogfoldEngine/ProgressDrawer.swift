import Foundation

/// Redraws a ``ProgressMeter`` from a background thread while a blocking job runs on the caller's.
package final class ProgressDrawer: @unchecked Sendable {
    // @unchecked: `meter` is touched only by the drawing thread until `stop()` has joined it.
    private let meter: ProgressMeter
    private let label: String
    private let sample: @Sendable () -> (count: Int, done: Int64, total: Int64?, extra: String)
    private let stopped = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    private var running = false

    /// A drawer that polls `sample` four times a second.
    package init(
        meter: ProgressMeter, label: String = "ingest",
        sample: @escaping @Sendable () -> (count: Int, done: Int64, total: Int64?, extra: String)
    ) {
        self.meter = meter
        self.label = label
        self.sample = sample
    }

    /// Starts drawing.
    package func start() {
        running = true
        startNamedThread("logfold-progress") { [self] in
            while stopped.wait(timeout: .now() + .milliseconds(250)) == .timedOut {
                let s = sample()
                meter.update(label: label, count: s.count, done: s.done, total: s.total, extra: s.extra)
            }
            exited.signal()
        }
    }

    /// Stops drawing, waits for the thread, and clears the line.
    package func stop() {
        guard running else { return }
        running = false
        stopped.signal()
        exited.wait()
        meter.finish()
    }
}
