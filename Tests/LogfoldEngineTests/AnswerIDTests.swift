import Testing

@testable import LogfoldEngine

/// `data.id` read from Klaviyo's answers: the import job the sender follows up, the profile id it keeps.
@Suite struct AnswerIDTests {
    @Test("the id of a JSON:API answer is read whatever else it holds; an answer without a text id gives none")
    func dataID() {
        let job =
            #"{"data":{"type":"profile-bulk-import-job","id":"job-1","attributes":{"total_count":2,"#
            + #""profiles":[{"email":"a\"b@example.com"},{"n":1.5e3}]},"links":{"self":"x"}},"meta":{}}"#
        #expect(Sender.dataID(Array(job.utf8)) == "job-1")
        #expect(Sender.dataID(Array(#"{"data":{"id":"\u00e9t\u00e9"}}"#.utf8)) == "été")
        #expect(Sender.dataID(Array(#"{"data":{"id":7}}"#.utf8)) == nil)
        #expect(Sender.dataID(Array(#"{"data":[{"id":"a"}]}"#.utf8)) == nil)
        #expect(Sender.dataID(Array(#"{"errors":[]}"#.utf8)) == nil)
        #expect(Sender.dataID(Array("not json".utf8)) == nil)
        #expect(Sender.dataID([]) == nil)
    }
}
