import Foundation
import LogfoldActiveCampaign
import LogfoldDomain
import LogfoldTestSupport
import Testing

/// The calls' exact bytes: what ActiveCampaign's reference documents, nothing more.
@Suite struct RequestTests {
    static func text(_ call: ActiveCampaignCall) -> String { String(decoding: call.body, as: UTF8.self) }

    @Test("contact/sync carries the email, names, phone and field values; nil leaves a value, empty clears it")
    func contactSync() {
        let call = ActiveCampaignRequests.contactSync(
            ContactValues(
                email: "ann@example.com", firstName: "Ann", lastName: "", phone: nil,
                fields: [.init(fieldID: "3", value: "Active"), .init(fieldID: "4", value: "")]))
        #expect(call.method == .post && call.target == .api("/contact/sync"))
        #expect(call.contentType == "application/json")
        #expect(
            Self.text(call)
                == #"{"contact":{"email":"ann@example.com","firstName":"Ann","lastName":"","fieldValues":"#
                + #"[{"field":"3","value":"Active"},{"field":"4","value":""}]}}"#)
        #expect(call.isIdempotent)
    }

    @Test("list status 1 subscribes, 2 unsubscribes; tags are added by id and removed by contact-tag id")
    func listsAndTags() {
        let join = ActiveCampaignRequests.listStatus(listID: "1", contactID: "42", subscribed: true)
        #expect(Self.text(join) == #"{"contactList":{"list":"1","contact":"42","status":1}}"#)
        let leave = ActiveCampaignRequests.listStatus(listID: "1", contactID: "42", subscribed: false)
        #expect(Self.text(leave) == #"{"contactList":{"list":"1","contact":"42","status":2}}"#)
        let add = ActiveCampaignRequests.addTag(tagID: "7", contactID: "42")
        #expect(Self.text(add) == #"{"contactTag":{"contact":"42","tag":"7"}}"#)
        #expect(!add.isIdempotent, "a second POST may make a second contact-tag")
        let remove = ActiveCampaignRequests.removeTag(contactTagID: "991")
        #expect(remove.method == .delete && remove.target == .api("/contactTags/991") && remove.body.isEmpty)
        #expect(remove.isIdempotent)
        #expect(
            ActiveCampaignRequests.findTag(named: "open order").target
                == .api("/tags?filters%5Bsearch%5D%5Beq%5D=open%20order"))
        #expect(
            Self.text(ActiveCampaignRequests.createTag(named: "no order"))
                == #"{"tag":{"tag":"no order","tagType":"contact"}}"#)
    }

    @Test("a tracked event is a form: actid, key, event, eventdata, and visit as a JSON string, all escaped")
    func trackEvent() {
        let call = ActiveCampaignRequests.trackEvent(
            account: "123", key: "k&y", name: "Logged in", data: #"{"at":"2020-05-15T13:03:56-04:00"}"#,
            email: "a+b@example.com")
        #expect(call.target == .tracking && call.contentType == "application/x-www-form-urlencoded")
        #expect(
            Self.text(call)
                == "actid=123&key=k%26y&event=Logged%20in"
                + "&eventdata=%7B%22at%22%3A%222020-05-15T13%3A03%3A56-04%3A00%22%7D"
                + "&visit=%7B%22email%22%3A%22a%2Bb%40example.com%22%7D")
        #expect(!call.isIdempotent, "tracked events have no dedupe key")
    }

    @Test("an e-commerce order: cents, source, dates, products with category, SKU, URL and image")
    func order() {
        let order = EcommerceOrder(
            externalID: "9001", source: 0, email: "ann@example.com", connectionID: "1", customerID: "5",
            currency: "USD", totalCents: 4795, createdDate: "2020-05-15T13:03:56-04:00", orderNumber: "9001",
            products: [
                .init(
                    externalID: "9001-1", name: "Veggie Box", priceCents: 3995, quantity: 1, category: "menu",
                    sku: "VB", url: "https://shop.example/vb", imageURL: "https://shop.example/vb.jpg")
            ])
        let create = ActiveCampaignRequests.createOrder(order)
        #expect(create.target == .api("/ecomOrders") && !create.isIdempotent)
        #expect(
            Self.text(create)
                == #"{"ecomOrder":{"externalid":"9001","source":0,"email":"ann@example.com","connectionid":"1","#
                + #""customerid":"5","currency":"USD","totalPrice":4795,"externalCreatedDate":"2020-05-15T13:03:56-04:00","#
                + #""orderNumber":"9001","orderProducts":[{"externalid":"9001-1","name":"Veggie Box","price":3995,"#
                + #""quantity":1,"category":"menu","sku":"VB","productUrl":"https://shop.example/vb","#
                + #""imageUrl":"https://shop.example/vb.jpg"}]}}"#)
        let update = ActiveCampaignRequests.updateOrder(activeCampaignID: "77", order)
        #expect(update.method == .put && update.target == .api("/ecomOrders/77") && update.body == create.body)
        #expect(
            ActiveCampaignRequests.findOrder(connectionID: "1", externalID: "9001").target
                == .api("/ecomOrders?filters%5Bconnectionid%5D=1&filters%5Bexternalid%5D=9001"))
    }

    @Test("a bulk import excludes automations and carries fields, tags and the list by number")
    func bulkImport() {
        let call = ActiveCampaignRequests.bulkImport([
            BulkContact(
                email: "ann@example.com", firstName: "Ann", fields: [.init(fieldID: "3", value: "Active")],
                tags: ["open order"], listID: "1")
        ])
        #expect(
            Self.text(call)
                == #"{"contacts":[{"email":"ann@example.com","first_name":"Ann","tags":["open order"],"#
                + #""fields":[{"id":3,"value":"Active"}],"subscribe":[{"listid":1}]}],"exclude_automations":true}"#)
    }

    @Test("form escaping keeps only RFC 3986's unreserved bytes, whatever the input", arguments: 0..<200)
    func escaping(seed: Int) {
        var generator = SplitMix(seed: UInt64(seed))
        let scalars = (0..<Int(generator.next() % 24)).compactMap { _ in
            Unicode.Scalar(UInt32(generator.next() % 0x3000))
        }
        let text = String(String.UnicodeScalarView(scalars))
        let escaped = FormEncoding.escape(text)
        #expect(
            escaped.utf8.allSatisfy { byte in
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                    || [0x2D, 0x2E, 0x5F, 0x7E, 0x25].contains(byte)
            })
        #expect(escaped.removingPercentEncoding == text)
    }
}
