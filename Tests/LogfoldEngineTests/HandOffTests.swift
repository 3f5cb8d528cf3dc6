import Foundation
import Testing

@testable import LogfoldEngine

@Suite struct HandOffTests {
    @Test("a full hand-off holds the producer back: elements arrive whole and in order across threads")
    func order() {
        let handOff = HandOff<[Int]>(capacity: 1)
        let producer = Thread {
            for i in 0..<2_000 { _ = handOff.send([i, i * 2]) }
            handOff.close()
        }
        producer.start()
        var received: [[Int]] = []
        while let element = handOff.receive() { received.append(element) }
        #expect(received == (0..<2_000).map { [$0, $0 * 2] })
    }

    @Test("a closed hand-off refuses more, and its consumer still drains what it holds")
    func close() {
        let closing = HandOff<Int>(capacity: 2)
        #expect(closing.send(1))
        #expect(closing.send(2))
        closing.close()
        #expect(!closing.send(3))
        #expect(closing.receive() == 1)
        #expect(closing.receive() == 2)
        #expect(closing.receive() == nil)
    }
}
