import Foundation
import Synchronization
import Testing

@testable import LogfoldEngine

@Suite struct HandOffTests {
    @Test("waitUntilTaken returns only after the consumer took the element, and at once when closed")
    func waitUntilTaken() throws {
        let handOff = HandOff<Int>(capacity: 1)
        let taken = Atomic<Bool>(false)
        #expect(handOff.send(7))
        let consumer = Thread {
            Thread.sleep(forTimeInterval: 0.2)
            taken.store(true, ordering: .sequentiallyConsistent)
            _ = handOff.receive()
        }
        consumer.start()
        handOff.waitUntilTaken()
        let wasTaken = taken.load(ordering: .sequentiallyConsistent)
        #expect(wasTaken)

        let closing = HandOff<Int>(capacity: 1)
        #expect(closing.send(1))
        closing.close()
        closing.waitUntilTaken()  // would hang if a closed hand-off still waited for its consumer
        #expect(!closing.send(2))
    }
}
