import LogfoldActiveCampaign
import LogfoldDomain
import LogfoldStore

extension ActiveCampaignSender {
    /// Makes `add` the contact's one week's tag.
    ///
    /// It adds the tag, then removes any other week's tag the contact holds. Tag rows are coalesced (only a customer's latest is sent), so the tag to remove is not the
    /// row's `previous` but the one this sender set last (`week_tag`, by email); when its contact-tag id is
    /// not remembered (set by a bulk import, whose answer names none) or nothing is remembered though the
    /// fold says a tag came before, ActiveCampaign lists the contact's tags and every other week's tag goes.
    func setWeekTag(email: String, add: String, previous: String?) async throws -> (ActiveCampaignAnswer, String) {
        let current = try store.activeCampaignID("week_tag", email.lowercased())
        if current == add { return (.accepted, "already tagged") }
        guard let contact = try await contactID(email) else {
            return (.rejected("no ActiveCampaign contact for \(email)"), "")
        }
        let tag = try await tagID(add)
        let (answer, response) = try await call(ActiveCampaignRequests.addTag(tagID: tag, contactID: contact))
        guard case .accepted = answer else { return (answer, "") }
        if let link = Self.id(response.body, "contactTag") {
            try store.saveActiveCampaignID("contact_tag", "\(contact)|\(tag)", link)
        }
        if current != nil || previous != nil {
            let removed = try await removeWeekTags(contact: contact, keeping: add, current: current)
            guard case .accepted = removed else { return (removed, "") }
        }
        try store.saveActiveCampaignID("week_tag", email.lowercased(), add)
        return (.accepted, "accepted")
    }

    /// Removes the contact's week's tags other than `keeping`: the remembered link of `current`, or every
    /// one ActiveCampaign lists.
    private func removeWeekTags(contact: String, keeping: String, current: String?) async throws
        -> ActiveCampaignAnswer
    {
        var links: [(tag: String, link: String)] = []
        if let current, let old = try store.activeCampaignID("tag", current),
            let link = try store.activeCampaignID("contact_tag", "\(contact)|\(old)")
        {
            links = [(old, link)]
        } else {
            var others: Set<String> = []
            for name in CustomerState.weekTags where name != keeping { others.insert(try await tagID(name)) }
            let (listed, body) = try await call(ActiveCampaignRequests.contactTags(contactID: contact))
            guard case .accepted = listed else { return listed }
            for object in Self.objects(body.body, "contactTags") {
                if let tag = Self.text(object["tag"]), others.contains(tag), let link = Self.text(object["id"]) {
                    links.append((tag, link))
                }
            }
        }
        for (tag, link) in links {
            let removed = try await call(ActiveCampaignRequests.removeTag(contactTagID: link)).0
            guard case .accepted = removed else { return removed }
            try store.forgetActiveCampaignID("contact_tag", "\(contact)|\(tag)")
        }
        return .accepted
    }
}
