import Foundation
import LogfoldEngine
import Testing

/// The daemon's wake-ups: a source's commit wakes the projector, a projector's commit the senders.
///
/// Each wait here has an hour's bound, so a doorbell that failed to wake would stop the test at its limit.
@Suite(.timeLimit(.minutes(1))) struct DoorbellTests {
    @Test("an async ring wakes every waiter; a ring between a look and a wait is kept; cancellation ends a wait")
    func asyncDoorbell() async {
        let bell = AsyncDoorbell()
        let before = bell.generation
        bell.ring()
        await bell.wait(since: before, upTo: .seconds(3_600))  // rung since: returns at once

        let seen = bell.generation
        let waiter = Task { await bell.wait(since: seen, upTo: .seconds(3_600)) }
        bell.ring()  // before or after the waiter registers: either way it wakes
        await waiter.value

        let quiet = bell.generation
        let cancelled = Task { await bell.wait(since: quiet, upTo: .seconds(3_600)) }
        cancelled.cancel()
        await cancelled.value

        // Several waiters since the same generation all wake on one ring, whenever they register.
        let many = (0..<4).map { _ in Task { await bell.wait(since: quiet, upTo: .seconds(3_600)) } }
        bell.ring()
        for waiter in many { await waiter.value }
    }

    @Test("a blocking ring wakes the projector's thread, or its next wait")
    func blockingDoorbell() async {
        let bell = Doorbell()
        bell.ring()
        bell.wait(upTo: .seconds(3_600))
        let done = DispatchSemaphore(value: 0)
        Thread {
            bell.wait(upTo: .seconds(3_600))
            done.signal()
        }.start()
        bell.ring()
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                done.wait()
                continuation.resume()
            }
        }
    }

    @Test("a stop request wakes the tasks awaiting it")
    func stopSignalIsAwaitable() async {
        let stop = StopSignal(handlingSignals: false)
        let waiter = Task { await stop.requested() }
        #expect(!stop.isRequested)
        stop.request()
        await waiter.value
        #expect(stop.isRequested)
        await stop.requested()  // already requested: returns at once
    }
}
