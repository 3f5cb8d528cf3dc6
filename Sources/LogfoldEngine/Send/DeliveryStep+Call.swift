import LogfoldDomain
package import LogfoldKlaviyo

extension DeliveryStep {
    /// The events of a bulk step grouped by profile, in first-seen order, with each event's item index:
    /// the layout of the request body, which Klaviyo's pointers index into.
    package var eventGroups: [(profile: KlaviyoProfile, items: [Int])] {
        // Items are read in place, by index: iterating them copied each item (its event's strings retained
        // and released) once per request built.
        var groups: [(profile: KlaviyoProfile, items: [Int])] = []
        var groupOfExternalID: [String: Int] = [:]
        groupOfExternalID.reserveCapacity(items.count)
        for index in items.indices {
            guard let (externalID, email) = items[index].payload.eventProfileIdentifiers else { continue }
            if let group = groupOfExternalID[externalID] {
                groups[group].items.append(index)
            } else {
                groupOfExternalID[externalID] = groups.count
                groups.append((KlaviyoProfile(externalID: externalID, email: email), [index]))
            }
        }
        return groups
    }

    /// The request body of this step; list steps take their list's id, removals the Klaviyo profile ids.
    package func body(includeBackfill: Bool, listID: String? = nil, profileIDs: [String] = []) -> [UInt8] {
        switch kind {
        case .event:
            guard case .event(let event) = items.first?.payload else { return [] }
            return KlaviyoRequestBody.createEventBytes(event, includeBackfill: includeBackfill)
        case .eventBulk:
            // Written group by group from the items in place: copying each item to read its wire retained and
            // released its payload's strings, and an array per group of its items' arrays was built and joined.
            let groups = eventGroups
            var capacity = 64 + 160 * groups.count
            for index in items.indices { capacity += (items[index].wire?.count ?? 512) + 1 }
            var writer = KlaviyoRequestBody.BulkEventsWriter(capacity: capacity)
            for group in groups {
                writer.beginGroup(externalID: group.profile.externalID, email: group.profile.email)
                for index in group.items {
                    if let wire = items[index].wire {
                        writer.append(item: wire)
                    } else if case .event(let event) = items[index].payload {
                        writer.append(item: KlaviyoRequestBody.bulkEventItem(event, includeBackfill: includeBackfill))
                    }
                }
            }
            return writer.finish()
        case .profileImport:
            guard let profile = profiles.first else { return [] }
            return KlaviyoRequestBody.profileImport(profile).renderedBytes
        case .profileBulk:
            return KlaviyoRequestBody.profileBulkImport(profiles).renderedBytes
        case .listAdd:
            return KlaviyoRequestBody.profileBulkImport(profiles, listIDs: listID.map { [$0] } ?? []).renderedBytes
        case .listRemove:
            return KlaviyoRequestBody.listRelationships(profileIDs: profileIDs).renderedBytes
        case .suppress, .unsuppress:
            let emails = items.compactMap { item -> String? in
                if case .suppression(let email) = item.payload { return email }
                return nil
            }
            return KlaviyoRequestBody.suppression(emails: emails, delete: kind == .unsuppress).renderedBytes
        }
    }

    /// The endpoint and path of this step's call.
    package func route(listID: String?) -> (endpoint: KlaviyoEndpoint, method: KlaviyoCall.Method, path: String) {
        switch kind {
        case .event: (.createEvent, .post, "/api/events")
        case .eventBulk: (.bulkCreateEvents, .post, "/api/event-bulk-create-jobs")
        case .profileImport: (.profileImport, .post, "/api/profile-import")
        case .profileBulk, .listAdd: (.profileBulkImport, .post, "/api/profile-bulk-import-jobs")
        case .listRemove: (.listRelationships, .delete, "/api/lists/\(listID ?? "")/relationships/profiles")
        case .suppress: (.suppress, .post, "/api/profile-suppression-bulk-create-jobs")
        case .unsuppress: (.unsuppress, .post, "/api/profile-suppression-bulk-delete-jobs")
        }
    }

    /// The profiles of profile and membership items.
    package var profiles: [KlaviyoProfile] {
        items.compactMap { item in
            switch item.payload {
            case .profile(let profile), .membership(let profile): profile
            case .event, .suppression: nil
            }
        }
    }

    /// The items a Klaviyo error pointer names; `nil` when it names none in particular (the whole
    /// request, or a pointer this step cannot map).
    package func items(namedBy pointer: String?) -> [Int]? {
        if items.count == 1 { return [0] }
        guard let pointer else { return nil }
        switch kind {
        case .eventBulk:
            guard let path = KlaviyoPointer.indices(pointer, after: "/data/attributes/events-bulk-create"),
                let group = path.first, eventGroups.indices.contains(group)
            else { return nil }
            let members = eventGroups[group].items
            if path.count >= 2 {
                return members.indices.contains(path[1]) ? [members[path[1]]] : nil
            }
            return members  // the profile of the group is wrong: every event of it
        case .profileBulk, .listAdd, .suppress, .unsuppress:
            guard let index = KlaviyoPointer.indices(pointer, after: "/data/attributes/profiles")?.first,
                items.indices.contains(index)
            else { return nil }
            return [index]
        case .listRemove:
            guard let index = KlaviyoPointer.indices(pointer, after: "")?.first, items.indices.contains(index)
            else { return nil }
            return [index]
        case .event, .profileImport:
            return [0]
        }
    }
}
